// Bring your own ECS in the page: a real file pasted or chosen runs as the scenario with its
// own services and counts, the import report shows beside it, a broken file is refused with
// its file and line (or JSON path) and the running scenario stays, the export panel's files
// are JSON holding the services, and the cost verdict shows its figures. Expected values are
// read from the real files here, never from fleetsim's own output.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { access, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { serveDir } from "./lib/server.mjs";
import { launch, collectProblems } from "./lib/browser.mjs";
import { DIST, ARTIFACTS } from "./lib/paths.mjs";
import { decode } from "./lib/cli.mjs";
import { ready } from "./lib/page.mjs";
import { realEcsPath, realEcsText } from "./lib/real-ecs.mjs";

const TWO_SERVICES = "24-cfn-managed-instances-two-services.json";
const BROKEN = "07-tomcat-ec2-broken-json.json";

let server;
let browser;

before(async () => {
  await access(join(DIST, "index.html"));
  server = await serveDir(DIST);
  browser = await launch({ viewport: { width: 1280, height: 900 } });
  await mkdir(ARTIFACTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function openPage() {
  const page = await browser.context.newPage();
  const problems = collectProblems(page);
  await page.goto(server.url);
  await ready(page);
  return { page, problems };
}

/** The running scenario, read through the Share link and the native decoder. */
async function running(page) {
  await page.waitForFunction(() => window.fleetsim.state().replayingPercent == null);
  await page.click('[data-testid="share"]');
  await page.waitForSelector('[data-testid="share-url"]');
  const url = await page.inputValue('[data-testid="share-url"]');
  return (await decode(url.split("#s=")[1])).scenario;
}

const counts = (scenario) => Object.fromEntries(scenario.services.map((s) => [s.name, s.desiredCount]));

/** The ECS services of a CloudFormation template, by the template alone. */
function templateServices(template) {
  return Object.fromEntries(
    Object.entries(template.Resources)
      .filter(([, r]) => r.Type === "AWS::ECS::Service")
      .map(([id, r]) => [r.Properties.ServiceName ?? id, r.Properties.DesiredCount]),
  );
}

async function importPasted(page, text) {
  await page.click('[data-testid="open-import"]');
  await page.fill('[data-testid="import-text"]', text);
  await page.click('[data-testid="import-run"]');
}

test("a pasted CloudFormation template runs with its services and shows the import report", async () => {
  const { page, problems } = await openPage();
  const text = await realEcsText(TWO_SERVICES);
  const expected = templateServices(JSON.parse(text));
  assert.equal(Object.keys(expected).length, 2);
  await importPasted(page, text);
  await page.waitForSelector('[data-testid="import-report"]');

  assert.deepEqual(counts(await running(page)), expected, "the running scenario is the template's");
  const rows = await page.$$eval('[data-testid="import-service"]', (els) =>
    Object.fromEntries(els.map((e) => [e.dataset.name, Number(e.dataset.desired)])),
  );
  assert.deepEqual(rows, expected, "the panel lists what runs");
  // The template has IAM roles and subnets fleetsim does not model: each is an ignored line.
  const report = await page.textContent('[data-testid="import-report"]');
  assert.match(report, /ignored: pasted text: Resources/);
  assert.match(report, /AWS::IAM::Role/);
  await page.screenshot({ path: join(ARTIFACTS, "import-report.png"), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test("refused files name the file and line or JSON path, and the running scenario stays", async () => {
  const { page, problems } = await openPage();
  await importPasted(page, await realEcsText(TWO_SERVICES));
  await page.waitForSelector('[data-testid="import-report"]');
  const before = await running(page);

  // Broken JSON, chosen as a file: refused with its name and the line JSON.parse also blames.
  const brokenText = await realEcsText(BROKEN);
  let line;
  try {
    JSON.parse(brokenText);
  } catch (e) {
    const at = Number(/position (\d+)/.exec(e.message)[1]);
    line = brokenText.slice(0, at).split("\n").length;
  }
  assert.ok(line > 1, "the file is broken past its first line");
  await page.fill('[data-testid="import-text"]', "");
  await page.setInputFiles('[data-testid="import-files"]', realEcsPath(BROKEN));
  await page.waitForSelector('[data-testid="import-file-list"]');
  await page.click('[data-testid="import-run"]');
  const error = page.locator('[data-testid="import-error"]');
  await error.waitFor();
  const message = await error.textContent();
  assert.ok(message.includes(BROKEN), message);
  assert.match(message, new RegExp(`line ${line}\\b`));
  await page.screenshot({ path: join(ARTIFACTS, "import-refused.png") });
  assert.deepEqual(await running(page), before, "a refused import changes nothing");

  // A wrong type deep inside a valid file: the message names its JSON path. The broken file
  // chosen above is taken off the list first.
  await page.click(`[aria-label="remove ${BROKEN}"]`);
  await page.waitForSelector('[data-testid="import-file-list"]', { state: "detached" });
  const td = JSON.parse(await realEcsText("13-simplehttp-awsvpc-container-sizes.json"));
  td.containerDefinitions[0].cpu = "lots";
  await page.fill('[data-testid="import-text"]', JSON.stringify(td, null, 2));
  await page.click('[data-testid="import-run"]');
  await page.waitForFunction(() =>
    /containerDefinitions\[0\]\.cpu/.test(document.querySelector('[data-testid="import-error"]')?.textContent ?? ""),
  );
  assert.match(await error.textContent(), /pasted text: containerDefinitions\[0\]\.cpu/);
  assert.deepEqual(await running(page), before, "a refused import changes nothing");
  assert.deepEqual(problems, []);
  await page.close();
});

test("a task definition chosen and its service dropped make one service", async () => {
  const { page, problems } = await openPage();
  const SERVICE = "14-bluegreen-lifecycle-hooks-service.json";
  const td = JSON.parse(await realEcsText("06-bluegreen-demo-taskdef.json"));
  const serviceText = await realEcsText(SERVICE);
  const svc = JSON.parse(serviceText);
  await page.click('[data-testid="open-import"]');
  await page.setInputFiles('[data-testid="import-files"]', realEcsPath("06-bluegreen-demo-taskdef.json"));
  await page.waitForSelector('[data-testid="import-file-list"]');
  // A drop as the browser delivers it: a DataTransfer holding a File.
  const dropped = await page.evaluateHandle(
    ([name, text]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], name, { type: "application/json" }));
      return dt;
    },
    [SERVICE, serviceText],
  );
  await page.dispatchEvent('[data-testid="import-drop"]', "dragover", { dataTransfer: dropped });
  await page.dispatchEvent('[data-testid="import-drop"]', "drop", { dataTransfer: dropped });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="import-file-list"] li').length === 2);
  await page.click('[data-testid="import-run"]');
  await page.waitForSelector('[data-testid="import-report"]');
  const s = await running(page);
  assert.deepEqual(counts(s), { [svc.serviceName]: svc.desiredCount });
  assert.equal(s.services[0].task.cpu, Number(td.cpu));
  assert.equal(s.services[0].task.memory, Number(td.memory));
  assert.deepEqual(problems, []);
  await page.close();
});

test("the export panel's files are JSON that hold the running services", async () => {
  const { page, problems } = await openPage();
  const text = await realEcsText(TWO_SERVICES);
  const expected = templateServices(JSON.parse(text));
  await importPasted(page, text);
  await page.waitForSelector('[data-testid="import-report"]');
  await page.click('[data-testid="open-ecs-export"]');
  await page.waitForSelector('[data-testid="ecs-file"]');

  // ecs-api: one create-service input per service, named as in the template.
  const services = {};
  const tabs = await page.$$('[data-testid="ecs-file-tab"]');
  for (let i = 0; i < tabs.length; i++) {
    await page.locator('[data-testid="ecs-file-tab"]').nth(i).click();
    const name = await page.textContent('[data-testid="ecs-file-tab"][aria-pressed="true"]');
    await page.waitForFunction((n) => document.querySelector('[data-testid="ecs-file"]').dataset.file === n, name);
    const json = JSON.parse(await page.textContent('[data-testid="ecs-json"]'));
    if (name.startsWith("service-")) services[json.serviceName] = json.desiredCount;
  }
  assert.deepEqual(services, expected);
  const placeholders = await page.textContent('[data-testid="ecs-placeholders"]');
  assert.match(placeholders, /PLACEHOLDER_CLUSTER_NAME/);
  await page.screenshot({ path: join(ARTIFACTS, "ecs-export.png"), fullPage: true });

  // CloudFormation: one template with a service resource per service.
  await page.click('[data-testid="ecs-format-cfn"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="ecs-file"]').dataset.file === "template.json");
  const template = JSON.parse(await page.textContent('[data-testid="ecs-json"]'));
  assert.deepEqual(templateServices(template), expected);
  assert.deepEqual(problems, []);
  await page.close();
});

/** Opens the verdict and waits for it; returns its figures and the browser's timing. */
async function verdict(page) {
  await page.click('[data-testid="open-verdict"]');
  const result = page.locator('[data-testid="verdict-result"]');
  await result.waitFor({ timeout: 60_000 });
  return {
    headline: await page.textContent('[data-testid="verdict-headline"]'),
    mi: await page.textContent('[data-testid="verdict-mi"]'),
    fargate: await page.textContent('[data-testid="verdict-fargate"]'),
    reasons: await page.$$eval('[data-testid="verdict-reason"]', (els) => els.map((e) => e.textContent)),
    timing: await result.evaluate((e) => ({ ...e.dataset })),
  };
}

test("the cost verdict shows its figures and reasons, and follows the deployment assumption", async (t) => {
  const { page, problems } = await openPage();
  const workshop = await verdict(page);
  t.diagnostic(`workshop world: ${JSON.stringify(workshop.timing)}`);
  assert.match(workshop.headline, /wins|cost the same/);
  await page.click('[data-testid="open-verdict"]');

  await importPasted(page, await realEcsText(TWO_SERVICES));
  await page.waitForSelector('[data-testid="import-report"]');
  const v = await verdict(page);
  t.diagnostic(`${TWO_SERVICES}: ${JSON.stringify(v.timing)}`);
  assert.match(v.mi, /\$\d[\d,]*\.\d\d/);
  assert.match(v.fargate, /\$\d[\d,]*\.\d\d/);
  assert.equal(v.reasons.length, 6, v.reasons.join("\n"));
  assert.ok(v.reasons.some((r) => /Surge capacity during deployments/.test(r) && /deployed once a week/.test(r)));
  await page.screenshot({ path: join(ARTIFACTS, "verdict.png"), fullPage: true });

  // No deployments assumed: the surge reason is zero and says so.
  await page.selectOption('[data-testid="verdict-deploys"]', "0");
  await page.waitForFunction(() =>
    [...document.querySelectorAll('[data-testid="verdict-reason"]')].some(
      (e) => /Surge capacity/.test(e.textContent) && /No deployment/.test(e.textContent),
    ),
  );
  const surge = await page.$$eval('[data-testid="verdict-reason"]', (els) =>
    els.map((e) => e.textContent).find((x) => /Surge capacity/.test(x)),
  );
  assert.match(surge, /\$0\.00/);
  assert.deepEqual(problems, []);
  await page.close();
});
