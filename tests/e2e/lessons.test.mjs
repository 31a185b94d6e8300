// Lessons in the page: a whole preset lesson presented with the network off and driven by the
// keyboard (1–4, R, N), self-study with progress that survives a reload, and a lesson written
// in the page that round-trips through its link. The native CLI computes every answer
// independently (`fleetsim presets`, `fleetsim lesson`); the page must agree with it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { access, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { serveDir } from "./lib/server.mjs";
import { launch, collectProblems } from "./lib/browser.mjs";
import { DIST, ARTIFACTS } from "./lib/paths.mjs";
import { presets, fleetsim } from "./lib/cli.mjs";
import { ready } from "./lib/page.mjs";

let server;
let browser;
let lessons;

before(async () => {
  await access(join(DIST, "index.html"));
  server = await serveDir(DIST);
  browser = await launch();
  await mkdir(ARTIFACTS, { recursive: true });
  lessons = await presets();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const panel = '[data-testid="lesson-panel"]';
const text = async (page, id) => (await page.textContent(`[data-testid="${id}"]`)).trim();

/** Waits until the simulation has answered (Reveal is enabled then). */
const answered = (page) => page.waitForSelector('[data-testid="lesson-reveal"]:not([disabled])');

/** The step on screen is `i` (0-based) and shows its question. */
async function atStep(page, i, step) {
  await page.waitForSelector(`[data-testid="lesson-step"][data-step="${i}"]`);
  assert.equal(await text(page, "lesson-question"), step.question);
}

test("a whole preset lesson, presented with the keyboard and the network off", async () => {
  const lesson = lessons.find((p) => p.id === "start-before-stop");
  const page = await browser.context.newPage();
  const problems = collectProblems(page);
  await page.goto(server.url);
  await ready(page);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });

  await browser.context.setOffline(true);
  try {
    await page.reload();
    await ready(page);
    assert.equal(await page.evaluate(() => navigator.onLine), false);
    await page.click('[data-testid="open-presets"]');
    await page.click(`[data-preset="${lesson.id}"]`);
    await page.click('[data-testid="preset-present"]');
    await page.waitForSelector(`${panel}[data-mode="Presenter"]`);
    assert.equal(await text(page, "lesson-title"), lesson.title);

    let right = 0;
    for (const [i, step] of lesson.steps.entries()) {
      await atStep(page, i, step);
      assert.equal(await text(page, "lesson-count"), `Step ${i + 1} of ${lesson.steps.length}`);
      // The room votes for the first choice on even steps and the last on odd ones.
      const vote = i % 2 === 0 ? 0 : step.choices.length - 1;
      await page.keyboard.press(String(vote + 1));
      await page.waitForSelector(`[data-testid="lesson-choice"][data-index="${vote}"][aria-pressed="true"]`);
      assert.equal(await page.locator('[data-testid="lesson-verdict"]').count(), 0, "nothing is revealed before R");
      if (i === 0) await page.screenshot({ path: join(ARTIFACTS, "lesson-presenter-question.png") });

      await answered(page);
      await page.keyboard.press("r");
      const verdict = page.locator('[data-testid="lesson-verdict"]');
      await verdict.waitFor();
      const roomRight = step.choices[vote] === step.answer;
      if (roomRight) right += 1;
      assert.equal(await verdict.getAttribute("data-right"), String(roomRight), step.question);
      assert.match(await verdict.textContent(), new RegExp(`${step.answer}\\.`));
      assert.equal((await text(page, "lesson-why")).replace(/^Why: /, ""), step.why);
      // Revealing plays the world to the step.
      await page.waitForFunction(
        (clock) => document.querySelector('[data-testid="clock"]').textContent.includes(clock.split(" · ")[1]),
        step.clock,
      );
      assert.equal(await text(page, "lesson-clock"), step.clock);
      if (i === 0) await page.screenshot({ path: join(ARTIFACTS, "lesson-presenter-revealed.png") });
      await page.keyboard.press("n");
    }
    const done = await text(page, "lesson-done");
    assert.match(done, new RegExp(`The room got ${right} of ${lesson.steps.length} right`));
  } finally {
    await browser.context.setOffline(false);
  }
  assert.deepEqual(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED/.test(p)), []);
  await page.close();
});

test("self-study: an answer plays the step, says right or wrong, and progress survives a reload", async () => {
  const lesson = lessons.find((p) => p.id === "image-cache");
  const page = await browser.context.newPage();
  const problems = collectProblems(page);
  await page.goto(`${server.url}#p=${lesson.id}`);
  await ready(page);
  await page.waitForSelector(`${panel}[data-mode="Intro"]`);
  await page.click('[data-testid="lesson-study"]');
  await page.waitForSelector(`${panel}[data-mode="SelfStudy"]`);

  const [first, second] = lesson.steps;
  await atStep(page, 0, first);
  const wrong = first.choices.findIndex((c) => c !== first.answer);
  await page.click(`[data-testid="lesson-choice"][data-index="${wrong}"]`);
  const verdict = page.locator('[data-testid="lesson-verdict"]');
  await verdict.waitFor();
  assert.equal(await verdict.getAttribute("data-right"), "false");
  assert.match(await verdict.textContent(), /Not quite/);
  assert.equal((await text(page, "lesson-why")).replace(/^Why: /, ""), first.why);
  await page.screenshot({ path: join(ARTIFACTS, "lesson-self-study.png") });
  await page.click('[data-testid="lesson-next"]');

  await atStep(page, 1, second);
  await page.click(`[data-testid="lesson-choice"][data-index="${second.choices.indexOf(second.answer)}"]`);
  await page.waitForSelector('[data-testid="lesson-verdict"][data-right="true"]');
  assert.equal(await text(page, "lesson-progress"), "2 answered, 1 right");

  await page.reload();
  await ready(page);
  await page.click('[data-testid="lesson-study"]');
  await atStep(page, 2, lesson.steps[2]);
  assert.equal(await text(page, "lesson-progress"), "2 answered, 1 right");
  assert.deepEqual(problems, []);
  await page.close();
});

/** Sets a form field (text box or select) the way a user does: the value, then `change`. */
async function fill(page, id, value) {
  const sel = `[data-testid="${id}"]`;
  if ((await page.$eval(sel, (e) => e.tagName)) === "SELECT") await page.selectOption(sel, value);
  else await page.fill(sel, value);
  await page.$eval(sel, (e) => e.dispatchEvent(new Event("change", { bubbles: true })));
}

/** Fills the form's fields in order (later ones appear as earlier ones are set) and adds the step. */
async function addStep(page, fields) {
  for (const [id, value] of fields) await fill(page, id, value);
  await page.click('[data-testid="author-add"]');
}

test("a lesson written in the page round-trips through its link", async () => {
  const page = await browser.context.newPage();
  const problems = collectProblems(page);
  await page.goto(server.url);
  await ready(page);
  await page.click('[data-testid="open-author"]');
  await page.waitForSelector('[data-testid="lesson-author"]');
  await fill(page, "author-title", "Drain and count");
  await fill(page, "author-intro", "We drain a host and count what is left.");

  await fill(page, "author-at", "soon");
  await page.click('[data-testid="author-add"]');
  assert.match(await text(page, "author-error"), /^at: "soon", must be a time/);

  await addStep(page, [
    ["author-at", "20m"],
    ["author-command", "drainHost"],
    ["author-command-arg", "1"],
    ["author-command-at", "10m"],
    ["author-narrative", "At 10 min host i-001 is drained."],
    ["author-prompt", "How many hosts are DRAINING?"],
    ["author-kind", "hosts"],
    ["author-status", "DRAINING"],
    ["author-choices", "0, 1, 2"],
  ]);
  await page.waitForSelector('[data-testid="author-step"]');
  await addStep(page, [
    ["author-at", "1h"],
    ["author-narrative", "The fleet settles."],
    ["author-prompt", "How many web tasks are RUNNING?"],
    ["author-kind", "tasksInState"],
    ["author-service", "web"],
    ["author-state", "RUNNING"],
  ]);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="author-answer"]').length === 2);
  await page.screenshot({ path: join(ARTIFACTS, "lesson-author.png"), fullPage: true });

  const url = await page.inputValue('[data-testid="author-link"]');
  assert.match(url, /#s=f2\./, "a link with a lesson is format 2");
  assert.match(await text(page, "author-link-size"), new RegExp(`${url.length} characters`));
  const share = url.split("#s=")[1];
  const native = JSON.parse(await fleetsim("lesson", share));
  assert.equal(native.title, "Drain and count");
  assert.deepEqual(native.steps.map((s) => [s.at, s.question, s.command?.at ?? null]), [
    [20 * 60_000, "How many hosts are DRAINING?", 10 * 60_000],
    [60 * 60_000, "How many web tasks are RUNNING?", null],
  ]);
  const previews = await page.$$eval('[data-testid="author-answer"]', (els) => els.map((e) => e.textContent));
  for (const [i, s] of native.steps.entries()) {
    assert.ok(!s.error, s.error);
    assert.ok(previews[i].startsWith(`→ ${s.answer} `), `${previews[i]} vs ${s.answer}`);
  }

  const fresh = await browser.context.newPage();
  await fresh.goto(`${server.url}#s=${share}`);
  await ready(fresh);
  await fresh.waitForSelector(`${panel}[data-mode="Intro"]`);
  assert.equal(await text(fresh, "lesson-title"), "Drain and count");
  await fresh.click('[data-testid="lesson-present"]');
  await atStep(fresh, 0, native.steps[0]);
  await answered(fresh);
  await fresh.keyboard.press("r");
  assert.match(await text(fresh, "lesson-verdict"), new RegExp(`says ${native.steps[0].answer}\\.`));
  await fresh.close();

  // A damaged lesson link gets the bad-link banner, like any other link.
  const broken = await browser.context.newPage();
  await broken.goto(`${server.url}#s=${share.slice(0, Math.floor(share.length / 2 / 4) * 4)}`);
  await ready(broken);
  await broken.waitForSelector('[data-testid="link-error"]');
  await broken.close();
  assert.deepEqual(problems, []);
  await page.close();
});
