using Emnist.Tests.Fixtures;
using Microsoft.Playwright;

namespace Emnist.Tests.Browser;

/// <summary>
/// The drawing page in Debian's Chromium, driven by Playwright, against the real API serving the committed default
/// model. Skips (with the reason) where no Chromium is installed; CI installs it.
/// </summary>
public sealed class CanvasPageTests : IAsyncLifetime
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private static readonly string DefaultModel = Path.Combine(SharedData.RepoRoot, "models", "emnist-byclass.zip");
    private static readonly string Artifacts = Path.Combine(SharedData.RepoRoot, "Emnist.Tests", "TestResults", "screenshots");

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private ApiServer? _server;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath) || !File.Exists(DefaultModel)) return;
        _server = await ApiServer.StartAsync(DefaultModel);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
    }

    private void RequireBrowser()
    {
        Skip.If(!File.Exists(ChromiumPath), $"No Chromium at {ChromiumPath}: install it (apt-get install -y chromium) to run the browser tests.");
        Skip.If(!File.Exists(DefaultModel), $"No default model at {DefaultModel}.");
    }

    private async Task<IPage> OpenAsync(int width = 1100, int height = 800, bool touch = false)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new() { Width = width, Height = height }, HasTouch = touch });
        var page = await context.NewPageAsync();
        await page.GotoAsync(_server!.Url + "/");
        await Assertions.Expect(page.Locator("#model")).ToContainTextAsync("byclass");
        return page;
    }

    /// <summary>Runs a test body; on failure keeps a screenshot as an artifact.</summary>
    private static async Task WithScreenshotOnFailure(IPage page, string name, Func<Task> body)
    {
        try
        {
            await body();
        }
        catch
        {
            Directory.CreateDirectory(Artifacts);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, name + ".png"), FullPage = true });
            throw;
        }
    }

    /// <summary>Keeps a screenshot of a passing run too (CI artifact; the README's pictures come from these).</summary>
    private static async Task SaveScreenshot(IPage page, string name)
    {
        await page.WaitForTimeoutAsync(500); // let the bar animation finish
        Directory.CreateDirectory(Artifacts);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, name + ".png"), FullPage = true });
    }

    // Strokes in the canvas's own 0..280 units.
    private static readonly (float X, float Y)[][] Seven = [[(70, 60), (210, 60)], [(210, 60), (180, 120), (150, 180), (125, 235)]];
    private static readonly (float X, float Y)[][] LetterL = [[(100, 50), (100, 140), (100, 230)], [(100, 230), (160, 230), (200, 230)]];

    private static async Task DrawWithMouse(IPage page, (float X, float Y)[][] strokes)
    {
        var box = (await page.Locator("#pad").BoundingBoxAsync())!;
        foreach (var stroke in strokes)
        {
            await page.Mouse.MoveAsync(box.X + stroke[0].X * box.Width / 280, box.Y + stroke[0].Y * box.Height / 280);
            await page.Mouse.DownAsync();
            for (var i = 1; i < stroke.Length; i++)
                await page.Mouse.MoveAsync(box.X + stroke[i].X * box.Width / 280, box.Y + stroke[i].Y * box.Height / 280, new MouseMoveOptions { Steps = 8 });
            await page.Mouse.UpAsync();
        }
    }

    private static Task DrawWithTouch(IPage page, (float X, float Y)[][] strokes) =>
        // Touch pointers, as a phone sends them (Pointer Events with pointerType "touch").
        page.EvaluateAsync(@"(json) => {
            const strokes = JSON.parse(json);
            const c = document.getElementById('pad');
            const r = c.getBoundingClientRect();
            const at = (p) => ({ clientX: r.left + p[0] * r.width / 280, clientY: r.top + p[1] * r.height / 280 });
            for (const s of strokes) {
              const opts = (p) => ({ pointerId: 7, pointerType: 'touch', isPrimary: true, bubbles: true, cancelable: true, ...at(p) });
              c.dispatchEvent(new PointerEvent('pointerdown', opts(s[0])));
              for (let i = 1; i < s.length; i++) {
                const a = s[i - 1], b = s[i];
                for (let k = 1; k <= 8; k++) c.dispatchEvent(new PointerEvent('pointermove', opts([a[0] + (b[0] - a[0]) * k / 8, a[1] + (b[1] - a[1]) * k / 8])));
              }
              c.dispatchEvent(new PointerEvent('pointerup', opts(s[s.length - 1])));
            }
        }", System.Text.Json.JsonSerializer.Serialize(strokes.Select(s => s.Select(p => new[] { p.X, p.Y }))));

    [SkippableFact]
    public async Task Drawing_a_digit_with_the_mouse_shows_it_with_bars_and_preview()
    {
        RequireBrowser();
        var page = await OpenAsync();
        await WithScreenshotOnFailure(page, "mouse-digit", async () =>
        {
            await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Draw a character");
            await DrawWithMouse(page, Seven);
            await Assertions.Expect(page.Locator("#best")).ToHaveTextAsync("7");
            await Assertions.Expect(page.Locator("#bars li")).ToHaveCountAsync(5);
            await Assertions.Expect(page.Locator("#preview")).ToBeVisibleAsync();
            Assert.StartsWith("data:image/png", await page.Locator("#preview").GetAttributeAsync("src"));
            await SaveScreenshot(page, "desktop");
        });
    }

    [SkippableFact]
    public async Task Drawing_a_letter_with_touch_works_on_a_phone_sized_page()
    {
        RequireBrowser();
        var page = await OpenAsync(390, 844, touch: true);
        await WithScreenshotOnFailure(page, "touch-letter", async () =>
        {
            await DrawWithTouch(page, LetterL);
            await Assertions.Expect(page.Locator("#best")).ToHaveTextAsync("L");
            await Assertions.Expect(page.Locator("#bars li").First).ToContainTextAsync("L");
            await SaveScreenshot(page, "phone");
        });
    }

    [SkippableFact]
    public async Task Undo_and_clear_update_the_prediction()
    {
        RequireBrowser();
        var page = await OpenAsync();
        await WithScreenshotOnFailure(page, "undo-clear", async () =>
        {
            await DrawWithMouse(page, Seven);
            await Assertions.Expect(page.Locator("#best")).ToHaveTextAsync("7");
            await page.Locator("#undo").ClickAsync();               // only the top bar is left
            await Assertions.Expect(page.Locator("#best")).Not.ToHaveTextAsync("7");
            await page.Keyboard.PressAsync("Control+z");             // nothing left
            await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Draw a character");
            await DrawWithMouse(page, LetterL);
            await Assertions.Expect(page.Locator("#best")).ToHaveTextAsync("L");
            await page.Locator("#clear").ClickAsync();
            await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Draw a character");
            await Assertions.Expect(page.Locator("#bars li")).ToHaveCountAsync(0);
        });
    }

    [SkippableFact]
    public async Task An_api_failure_shows_the_error_state_not_a_stale_result()
    {
        RequireBrowser();
        var page = await OpenAsync();
        await WithScreenshotOnFailure(page, "api-error", async () =>
        {
            await DrawWithMouse(page, Seven);
            await Assertions.Expect(page.Locator("#best")).ToHaveTextAsync("7");
            await page.RouteAsync("**/api/predict**", route => route.FulfillAsync(new RouteFulfillOptions
            {
                Status = 500, ContentType = "application/problem+json", Body = "{\"title\":\"Server error\",\"status\":500,\"detail\":\"simulated failure\"}",
            }));
            await DrawWithMouse(page, [[(40, 250), (60, 260)]]);
            await Assertions.Expect(page.Locator("#status")).ToHaveAttributeAsync("data-state", "error");
            await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("simulated failure");
            await Assertions.Expect(page.Locator("#best")).ToHaveTextAsync("");
        });
    }
}
