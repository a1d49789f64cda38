// Drawing pad + live prediction. No build step, no CDN, no inline script (strict CSP).
const canvas = document.getElementById('pad');
const ctx = canvas.getContext('2d');
const statusEl = document.getElementById('status');
const bestEl = document.getElementById('best');
const barsEl = document.getElementById('bars');
const previewEl = document.getElementById('preview');
const ambiguityEl = document.getElementById('ambiguity');
const strokeInput = document.getElementById('stroke');

const strokes = [];          // each stroke: { width, points: [[x, y], ...] } in canvas units (280×280)
let current = null;
let debounce = 0;
let inflight = null;         // AbortController of the request in flight
let generation = 0;          // bumps on every change so stale answers are dropped

function resize() {
  // Back the canvas with device pixels so strokes stay sharp on high-DPI screens; keep 280-unit coordinates.
  const ratio = window.devicePixelRatio || 1;
  const size = Math.round(280 * ratio);
  if (canvas.width !== size) { canvas.width = size; canvas.height = size; }
  redraw();
}

function toCanvas(event) {
  const rect = canvas.getBoundingClientRect(); // correct under scrolling and zoom
  return [(event.clientX - rect.left) * 280 / rect.width, (event.clientY - rect.top) * 280 / rect.height];
}

function redraw() {
  const scale = canvas.width / 280;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  ctx.strokeStyle = '#000';
  ctx.fillStyle = '#000';
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  for (const s of strokes) drawStroke(s);
}

function drawStroke(s) {
  ctx.lineWidth = s.width;
  const p = s.points;
  if (p.length === 1) { ctx.beginPath(); ctx.arc(p[0][0], p[0][1], s.width / 2, 0, Math.PI * 2); ctx.fill(); return; }
  ctx.beginPath();
  ctx.moveTo(p[0][0], p[0][1]);
  // Quadratic curves through midpoints give smooth strokes from sparse pointer events.
  for (let i = 1; i < p.length - 1; i++) {
    const mx = (p[i][0] + p[i + 1][0]) / 2, my = (p[i][1] + p[i + 1][1]) / 2;
    ctx.quadraticCurveTo(p[i][0], p[i][1], mx, my);
  }
  ctx.lineTo(p[p.length - 1][0], p[p.length - 1][1]);
  ctx.stroke();
}

canvas.addEventListener('pointerdown', (e) => {
  e.preventDefault();
  try { canvas.setPointerCapture(e.pointerId); } catch { /* synthetic or already-released pointer */ }
  current = { width: Number(strokeInput.value), points: [toCanvas(e)] };
  strokes.push(current);
  generation++;
  redraw();
});
canvas.addEventListener('pointermove', (e) => {
  if (!current) return;
  e.preventDefault();
  // Coalesced events give smoother strokes; synthetic events have none, so fall back to the event itself.
  const coalesced = e.getCoalescedEvents ? e.getCoalescedEvents() : [];
  const events = coalesced.length > 0 ? coalesced : [e];
  for (const ev of events) current.points.push(toCanvas(ev));
  redraw();
});
function endStroke(e) {
  if (!current) return;
  e.preventDefault();
  current = null;
  schedulePredict();
}
canvas.addEventListener('pointerup', endStroke);
canvas.addEventListener('pointercancel', endStroke);

function undo() { strokes.pop(); generation++; redraw(); schedulePredict(); }
function clearAll() { strokes.length = 0; generation++; redraw(); schedulePredict(); }
document.getElementById('undo').addEventListener('click', undo);
document.getElementById('clear').addEventListener('click', clearAll);
document.getElementById('predict').addEventListener('click', () => predict());
document.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z') { e.preventDefault(); undo(); }
  else if (e.key === 'Delete' || e.key === 'Backspace') { if (e.target === document.body || e.target === canvas) { e.preventDefault(); clearAll(); } }
  else if (e.key === 'Enter' && (e.target === document.body || e.target === canvas)) { e.preventDefault(); predict(); }
});

function schedulePredict() {
  clearTimeout(debounce);
  debounce = setTimeout(predict, 150);
}

function showEmpty() {
  statusEl.dataset.state = 'empty';
  statusEl.textContent = 'Draw a character';
  bestEl.textContent = '';
  barsEl.replaceChildren();
  previewEl.hidden = true;
  ambiguityEl.hidden = true;
}

function showError(message) {
  statusEl.dataset.state = 'error';
  statusEl.textContent = message;
  // Never leave an old answer on screen as if it were current.
  bestEl.textContent = '';
  barsEl.replaceChildren();
  previewEl.hidden = true;
  ambiguityEl.hidden = true;
}

function showResult(r) {
  if (!r.hasInk) { showEmpty(); return; }
  statusEl.dataset.state = 'ok';
  statusEl.textContent = `Prediction (${r.elapsedMs.toFixed(1)} ms)`;
  bestEl.textContent = r.prediction;
  const items = r.top.map((t) => {
    const li = document.createElement('li');
    const label = document.createElement('span'); label.className = 'label'; label.textContent = t.label;
    const track = document.createElement('span'); track.className = 'track';
    const fill = document.createElement('span'); fill.className = 'fill'; track.append(fill);
    const pct = document.createElement('span'); pct.className = 'pct'; pct.textContent = `${(t.probability * 100).toFixed(1)} %`;
    li.append(label, track, pct);
    li.setAttribute('aria-label', `${t.label}: ${(t.probability * 100).toFixed(1)} percent`);
    requestAnimationFrame(() => { fill.style.width = `${Math.max(1, t.probability * 100)}%`; });
    return li;
  });
  barsEl.replaceChildren(...items);
  if (r.lookAlikes) {
    ambiguityEl.hidden = false;
    ambiguityEl.textContent = `${[...r.lookAlikes].join(', ').replace(/, ([^,]*)$/, ' or $1')}: these look the same in handwriting.`;
  } else {
    ambiguityEl.hidden = true;
  }
  if (r.preview) { previewEl.src = r.preview; previewEl.hidden = false; }
}

async function predict() {
  clearTimeout(debounce);
  if (inflight) inflight.abort();
  if (strokes.length === 0) { showEmpty(); return; }
  const mine = ++generation;
  const controller = new AbortController();
  inflight = controller;
  statusEl.dataset.state = 'busy';
  statusEl.textContent = 'Thinking…';
  try {
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
    const response = await fetch('api/predict?top=5&preview=true', {
      method: 'POST', headers: { 'Content-Type': 'image/png' }, body: blob, signal: controller.signal,
    });
    const body = await response.json().catch(() => ({}));
    if (mine !== generation) return; // drawing changed meanwhile: a newer request follows
    if (!response.ok) { showError(`Error: ${body.detail || body.title || response.status}`); return; }
    showResult(body);
  } catch (err) {
    if (err.name === 'AbortError') return;
    if (mine === generation) showError('Error: the server could not be reached.');
  } finally {
    if (inflight === controller) inflight = null;
  }
}

async function loadModelInfo() {
  const footer = document.getElementById('model');
  try {
    const r = await fetch('api/model');
    if (!r.ok) throw new Error(String(r.status));
    const m = await r.json();
    const acc = m.testAccuracy != null ? `, test accuracy ${(m.testAccuracy * 100).toFixed(2)} % on ${m.testCount.toLocaleString()} images` : '';
    footer.textContent = `Model ${m.name} (${m.split}, ${m.classes.length} classes, version ${m.version}${acc})`;
  } catch {
    footer.textContent = 'Model information unavailable';
  }
}

window.addEventListener('resize', resize);
resize();
showEmpty();
loadModelInfo();
