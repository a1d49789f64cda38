using System.Globalization;
using System.Net;
using System.Text;
using Emnist.Pipelines.Model;

namespace Emnist.Cli.Commands;

/// <summary>A self-contained HTML report: confusion heat map, per-class recall bars, training curve.</summary>
internal static class EvaluationHtml
{
    public static string Render(EmnistModelInfo info, EvaluationReport r)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append("<!doctype html><meta charset=utf-8><title>").Append(WebUtility.HtmlEncode(info.Name)).Append(" evaluation</title>");
        sb.Append("<style>body{font:14px system-ui;margin:1.5rem}table.cm{border-collapse:collapse}table.cm td,table.cm th{width:14px;height:14px;font-size:9px;text-align:center;padding:0}")
          .Append(".bar{display:inline-block;height:10px;background:#2f6fde}td.l{font-weight:bold;padding-right:6px}</style>");
        sb.Append(inv, $"<h1>{WebUtility.HtmlEncode(info.Name)}: {r.Count:N0} test images</h1>");
        sb.Append(inv, $"<p>Top-1 <b>{r.Accuracy:P2}</b> · top-3 {r.Top3Accuracy:P2} · up to case groups {r.CaseGroupAccuracy:P2} · macro-F1 {r.MacroF1:F4}</p>");

        sb.Append("<h2>Confusion matrix (row = actual, column = predicted; colour = share of the row)</h2><table class=cm><tr><th></th>");
        foreach (var l in r.Labels) sb.Append("<th>").Append(WebUtility.HtmlEncode(l)).Append("</th>");
        sb.Append("</tr>");
        for (var a = 0; a < r.Labels.Count; a++)
        {
            var row = r.ConfusionMatrix[a];
            var total = Math.Max(1, row.Sum());
            sb.Append("<tr><th>").Append(WebUtility.HtmlEncode(r.Labels[a])).Append("</th>");
            for (var p = 0; p < row.Length; p++)
            {
                var share = (double)row[p] / total;
                var (h, light) = a == p ? (120, 95 - 55 * share) : (0, 100 - 60 * Math.Sqrt(share));
                sb.Append(inv, $"<td title=\"{WebUtility.HtmlEncode(r.Labels[a])}→{WebUtility.HtmlEncode(r.Labels[p])}: {row[p]}\" style=\"background:hsl({h} 70% {light:F0}%)\"></td>");
            }
            sb.Append("</tr>");
        }
        sb.Append("</table><h2>Recall per class</h2><table>");
        for (var c = 0; c < r.Labels.Count; c++)
            sb.Append(inv, $"<tr><td class=l>{WebUtility.HtmlEncode(r.Labels[c])}</td><td><span class=bar style=\"width:{r.PerClassRecall[c] * 300:F0}px\"></span> {r.PerClassRecall[c]:P1}</td></tr>");
        sb.Append("</table>");
        if (info.History.Count > 0)
        {
            sb.Append("<h2>Training curve</h2><svg width=420 height=220 viewBox=\"0 0 420 220\" style=\"border:1px solid #ccc\">");
            string Line(Func<EpochRecord, double?> f, string colour)
            {
                var pts = info.History.Where(h => f(h) is not null).Select(h =>
                    string.Create(inv, $"{20 + 380.0 * (h.Epoch - 1) / Math.Max(1, info.History.Count - 1):F0},{200 - 180 * f(h)!.Value:F0}"));
                return $"<polyline fill=none stroke=\"{colour}\" stroke-width=2 points=\"{string.Join(' ', pts)}\"/>";
            }
            sb.Append(Line(h => h.TrainAccuracy, "#2f6fde")).Append(Line(h => h.ValidationAccuracy, "#d9822b"));
            sb.Append("<text x=24 y=16 font-size=12 fill=#2f6fde>train accuracy</text><text x=140 y=16 font-size=12 fill=#d9822b>validation accuracy</text></svg>");
        }
        sb.Append("<h2>Most frequent confusions</h2><ol>");
        foreach (var c in r.TopConfusions) sb.Append(inv, $"<li>{WebUtility.HtmlEncode(c.Actual)} → {WebUtility.HtmlEncode(c.Predicted)}: {c.Count}</li>");
        sb.Append("</ol>");
        return sb.ToString();
    }
}
