// axe-core on the portal's main pages, each as the person who sees it, in Debian's Chromium (nothing downloaded).
// Input (from tests/outside-in/run): OUTSIDE_IN_BASE, OUTSIDE_IN_POSTING (a posting id) and OUTSIDE_IN_JARS
// ("jobseeker=/path/jar,recruiter=...,hr=...": curl cookie jars of signed-in people).
// Prints every violation; exits 1 when any is of serious or critical impact, or a page did not load.
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

const base = process.env.OUTSIDE_IN_BASE;
const posting = process.env.OUTSIDE_IN_POSTING;
const jars = Object.fromEntries((process.env.OUTSIDE_IN_JARS ?? '').split(',').filter(Boolean).map(p => p.split('=')));
const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const failing = new Set(['serious', 'critical']);

const pages = [
  { name: 'postings list', who: null, path: '/' },
  { name: 'a posting', who: null, path: `/postings/${posting}` },
  { name: 'apply form', who: null, path: `/postings/${posting}/apply` },
  { name: 'sign-in', who: null, path: '/account/login' },
  { name: 'My data', who: 'jobseeker', path: '/my/data' },
  { name: 'candidate list', who: 'recruiter', path: `/manage/postings/${posting}/candidates` },
  { name: 'HR request desk', who: 'hr', path: '/manage/requests' },
];

// A curl (Netscape) cookie jar as Playwright cookies; HttpOnly ones are the lines marked #HttpOnly_.
function cookiesOf(jarPath) {
  return readFileSync(jarPath, 'utf8').split('\n').flatMap(line => {
    const httpOnly = line.startsWith('#HttpOnly_');
    const parts = (httpOnly ? line.slice('#HttpOnly_'.length) : line).split('\t');
    if ((!httpOnly && line.startsWith('#')) || parts.length !== 7) return [];
    const [, , path, , , name, value] = parts;
    return [{ name, value, url: new URL(path, base).href, httpOnly }];
  });
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});
let failed = false;
try {
  for (const target of pages) {
    const started = Date.now();
    const context = await browser.newContext();
    // Against 127.0.0.1 only: anything else the page asks for is refused (and reported).
    await context.route(url => new URL(url).origin !== new URL(base).origin, route => {
      console.log(`  ${target.name}: refused an outside request to ${route.request().url()}`);
      return route.abort();
    });
    if (target.who) await context.addCookies(cookiesOf(jars[target.who]));
    const page = await context.newPage();
    const response = await page.goto(base + target.path, { waitUntil: 'load', timeout: 20000 });
    const landed = new URL(page.url()).pathname;
    if (!response || response.status() !== 200 || landed !== new URL(base + target.path).pathname) {
      console.log(`${target.name} (${target.path}): did not load (status ${response?.status()}, at ${landed})`);
      failed = true;
      await context.close();
      continue;
    }
    const results = await new AxeBuilder({ page }).withTags(tags).analyze();
    const serious = results.violations.filter(v => failing.has(v.impact));
    console.log(`${target.name} (${target.path}${target.who ? `, signed in as ${target.who}` : ''}): ` +
      `${results.passes.length} rules pass, ${results.violations.length} violations, ${serious.length} serious or critical ` +
      `(${((Date.now() - started) / 1000).toFixed(1)} s)`);
    for (const v of results.violations) {
      console.log(`  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`);
      for (const node of v.nodes.slice(0, 5)) {
        console.log(`      ${node.target.join(' ')}: ${node.failureSummary.replace(/\s*\n\s*/g, ' ')}`);
      }
      if (v.nodes.length > 5) console.log(`      ... and ${v.nodes.length - 5} more`);
    }
    if (serious.length) failed = true;
    await context.close();
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
