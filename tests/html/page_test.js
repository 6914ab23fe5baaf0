// The --html page in headless Chromium (Playwright driving Debian's chromium): it loads with no
// console error and no request beyond the file itself, the step slider changes the step shown,
// the layer / head / reading selectors show the --trace file's values for that choice (the
// trace of the same run, read here independently of the page's code), hovering a target
// token shows its step's row, and the Devanagari text is drawn with a Devanagari font (CDP
// CSS.getPlatformFontsForNode), not as boxes; with --beam, the live hypotheses are the trace's.
// usage: node page_test.js PAGE.html TRACE.jsonl [SCREENSHOT_PREFIX]
"use strict";
const fs = require("fs");
const path = require("path");
const pw = process.env.PLAYWRIGHT_CORE || path.join(__dirname, "../../.node/node_modules/playwright-core");
const { chromium } = require(pw);

const [page_path, trace_path, shots] = process.argv.slice(2);
const trace = fs.readFileSync(trace_path, "utf8").trim().split("\n").map((l) => JSON.parse(l))
  .filter((t) => t.steps.length > 0);   /* a blank line is in the trace, not on the page */
let fails = 0;
const fail = (msg) => { console.log("FAIL: " + msg); fails++; };
const close = (a, b, what) => {
  if (a.length !== b.length) return fail(`${what}: ${a.length} values, want ${b.length}`);
  for (let i = 0; i < a.length; i++)
    if (!(Math.abs(a[i] - b[i]) < 1e-5)) return fail(`${what}: [${i}] = ${a[i]}, want ${b[i]}`);
};
// The expected rows, from the trace alone.
const mean = (x, L, H, n) => {
  const out = new Array(n).fill(0);
  for (const l of L) for (const h of H) for (let i = 0; i < n; i++) out[i] += x[l][h][i] / (L.length * H.length);
  return out;
};
const share = (row) => { const s = row.reduce((a, b) => a + b, 0); return row.map((v) => v / s); };

(async () => {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
                                          args: ["--no-sandbox"] });
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors = [], requests = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => { if (!r.url().startsWith("file://")) requests.push(r.url()); });
  const url = "file://" + path.resolve(page_path);
  await page.goto(url);
  await page.waitForSelector("#matrix tr[data-step]");
  const vals = (sel) => page.$$eval(sel, (es) => es.map((e) => +e.getAttribute("data-v")));
  const choose = async (id, v) => { await page.selectOption(id, v); };

  for (let s = 0; s < trace.length; s++) {
    const T = trace[s], n = T.source_pieces.length, L = [...Array(T.n_layers).keys()], H = [...Array(T.n_heads).keys()];
    if (trace.length > 1) await choose("#sentence", String(s));
    await choose("#layer", "mean"); await choose("#head", "mean"); await choose("#reading", "attn");
    await page.$eval("#step", (e) => { e.value = 0; e.dispatchEvent(new Event("input")); });
    close(await vals("#cross-row td.w"), mean(T.steps[0].cross, L, H, n), `s${s} step 1 mean`);
    // the slider, moved with the keyboard as a user would
    await page.focus("#step");
    await page.keyboard.press("ArrowRight");
    const label = await page.textContent("#step-label");
    if (!label.startsWith("2 of " + T.steps.length)) fail(`s${s}: slider label [${label}] after one step`);
    close(await vals("#cross-row td.w"), mean(T.steps[1].cross, L, H, n), `s${s} step 2 mean`);
    close(await vals("#self-row td.w"), mean(T.steps[1].self, L, H, 2), `s${s} step 2 self mean`);
    // beam search (a --beam page): the hypotheses live at step 2, the beams after step 1
    const beamsShown = await page.$eval("#beams-box", (e) => e.style.display !== "none");
    if (T.steps[0].beams) {
      if (!beamsShown) fail(`s${s}: beam search, but no hypotheses shown`);
      close(await vals("#beams td.w"), T.steps[0].beams.map((b) => b.score), `s${s} step 2 hypotheses`);
    } else if (beamsShown) fail(`s${s}: hypotheses shown for greedy decoding`);
    const sum = await page.textContent("#sum");
    if (!sum.includes("\u00b7e(" + T.source_pieces[0] + ")")) fail(`s${s}: context vector [${sum}]`);
    // each layer and head alone, and the mean of heads of one layer
    for (const l of L) {
      await choose("#layer", String(l));
      for (const h of H) {
        await choose("#head", String(h));
        close(await vals("#cross-row td.w"), T.steps[1].cross[l][h], `s${s} layer ${l + 1} head ${h + 1}`);
      }
      await choose("#head", "mean");
      close(await vals("#cross-row td.w"), mean(T.steps[1].cross, [l], H, n), `s${s} layer ${l + 1} mean`);
    }
    // the whole table, every step, for the last layer's mean
    const rows = await vals("#matrix td.w");
    close(rows, T.steps.flatMap((st) => mean(st.cross, [L.length - 1], H, n)), `s${s} matrix`);
    // the norm reading: the heads together, a share of the row
    await choose("#reading", "norm");
    if (!T.steps[1].norm_layer) fail(`s${s}: no norms in the trace`);
    else close(await vals("#cross-row td.w"), share(T.steps[1].norm_layer[L.length - 1]), `s${s} norm`);
    await choose("#reading", "attn"); await choose("#layer", "mean");
    // hovering a target token draws the row of the step that produced it
    await page.hover('svg text.tgt[data-step="0"]');
    close(await vals("svg line.xline"), mean(T.steps[0].cross, L, H, n), `s${s} hover step 1`);
    await page.mouse.move(0, 0);
    if (shots) await page.screenshot({ path: `${shots}-${s}.png`, fullPage: true });
  }

  // Devanagari is drawn with a Devanagari font: the fonts Chromium used for the pair line.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("DOM.enable"); await cdp.send("CSS.enable");
  const doc = await cdp.send("DOM.getDocument", { depth: -1 });
  const { nodeId } = await cdp.send("DOM.querySelector", { nodeId: doc.root.nodeId, selector: "#pair" });
  const { fonts } = await cdp.send("CSS.getPlatformFontsForNode", { nodeId });
  const deva = fonts.filter((f) => /Devanagari|Lohit|Mangal|Nirmala/i.test(f.familyName) && f.glyphCount > 0);
  if (!deva.length) fail("no Devanagari font used for the translation: " + JSON.stringify(fonts));
  else console.log("fonts used: " + fonts.map((f) => `${f.familyName} (${f.glyphCount} glyphs)`).join(", "));

  if (errors.length) fail("console errors: " + errors.join(" | "));
  if (requests.length) fail("network requests: " + requests.join(" "));
  await browser.close();
  console.log(fails ? `page: ${fails} failed` : "page: all passed");
  process.exit(fails ? 1 : 0);
})().catch((e) => { console.log("FAIL: " + e); process.exit(1); });
