#!/usr/bin/env node
// Writes the common-password list the portal refuses (src/Recruiting.Core/Identity/Resources/common-passwords.txt)
// from the `passwords` frequency list of the npm package zxcvbn (MIT, Dropbox): the most used passwords of public
// leaks, most frequent first. One lower-cased password per line, duplicates after lower-casing removed. The whole
// list is kept (not only entries of 12+ characters) so the file stays the published list, easy to check against it.
// Usage: node scripts/common-passwords.js   (needs node_modules/zxcvbn: npm ci)
const fs = require('fs');
const path = require('path');
const lists = require(path.join(__dirname, '..', 'node_modules', 'zxcvbn', 'lib', 'frequency_lists.js'));
const version = require(path.join(__dirname, '..', 'node_modules', 'zxcvbn', 'package.json')).version;
const seen = new Set();
const passwords = lists.passwords.filter(p => !seen.has(p.toLowerCase()) && seen.add(p.toLowerCase())).map(p => p.toLowerCase());
if (passwords.length < 10000) throw new Error(`only ${passwords.length} passwords; the portal promises at least 10,000`);
const out = path.join(__dirname, '..', 'src', 'Recruiting.Core', 'Identity', 'Resources', 'common-passwords.txt');
fs.writeFileSync(out, `# zxcvbn ${version} frequency_lists.passwords, lower-cased, ${passwords.length} entries; made by scripts/common-passwords.js\n` + passwords.join('\n') + '\n');
console.log(`${passwords.length} passwords written to ${path.relative(process.cwd(), out)}`);
