#!/usr/bin/env node
'use strict';
// npm run demo: the main job end to end on a temporary local emulator, printing each command and its result.
// scaffold the Python web app → deploy it → call it → bind a custom domain → call it through the domain →
// show that request's log lines. Pass --keep to leave the temporary folder for a look around.
const { spawn, spawnSync } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const fcx = join(__dirname, '..', 'bin', 'fcx.js');
const keep = process.argv.includes('--keep');
const work = mkdtempSync(join(tmpdir(), 'fcx-demo-'));
const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[22m` : s);
let emulator;

function banner(step, text) {
  console.log(`\n${bold(`── ${step}. ${text}`)}`);
}

function run(args, opts = {}) {
  console.log(`$ fcx ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [fcx, ...args], { cwd: opts.cwd ?? work, env: opts.env ?? process.env, encoding: 'utf8' });
  if (r.stdout) process.stdout.write(indent(r.stdout));
  if (r.stderr) process.stdout.write(indent(r.stderr));
  if (r.status !== (opts.expect ?? 0)) throw new Error(`fcx ${args.join(' ')} exited with ${r.status}`);
  return r;
}

function indent(text) {
  return text.replace(/^/gm, '    ').replace(/ +$/, '');
}

// node:http rather than fetch: fetch does not let a caller set the Host header, which custom domains need.
function http(url, headers = {}) {
  const host = headers.Host ? ` -H 'Host: ${headers.Host}'` : '';
  console.log(`$ curl -i${host} '${url}'`);
  return new Promise((resolve, reject) => {
    require('node:http')
      .get(url, { headers }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d) => (body += d));
        res.on('end', () => {
          const requestId = res.headers['x-fc-request-id'];
          console.log(indent(`HTTP ${res.statusCode}\nx-fc-request-id: ${requestId}\n\n${body.trim()}\n`));
          if (res.statusCode >= 400) reject(new Error(`${url} answered ${res.statusCode}`));
          else resolve({ requestId, body });
        });
      })
      .on('error', reject);
  });
}

function startEmulator(env) {
  return new Promise((resolve, reject) => {
    console.log(`$ fcx emulator --port 0 --data-dir ${join(work, 'emulator-data')}`);
    emulator = spawn(process.execPath, [fcx, 'emulator', '--port', '0', '--data-dir', join(work, 'emulator-data')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`the emulator did not start within 20 s:\n${err}`)), 20000);
    emulator.stderr.setEncoding('utf8').on('data', (d) => (err += d));
    emulator.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+/);
      if (m) {
        clearTimeout(timer);
        console.log(indent(err.trim() + '\n'));
        resolve(m[0]);
      }
    });
    emulator.on('exit', (code) => reject(new Error(`the emulator exited with ${code}:\n${err}`)));
  });
}

async function main() {
  const env = { ...process.env, NO_COLOR: '1', ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true', HOME: work };
  banner(1, 'Start the local cloud (FC 2.0, OSS, RAM, STS and SLS on one port)');
  const endpoint = await startEmulator(env);
  const cliEnv = { ...env, FCX_ENDPOINT: endpoint };

  banner(2, 'Scaffold the Python web app');
  run(['init', 'hello', '--template', 'python-web']);
  const app = join(work, 'hello');

  banner(3, 'Deploy it (role, log project, service, function, HTTP trigger)');
  const deployed = JSON.parse(run(['deploy', '--local', '--yes', '--json'], { cwd: app, env: cliEnv }).stdout);
  const url = deployed.functions[0].url;

  banner(4, 'Call it through its HTTP trigger');
  await http(`${url}hello?name=fcx`);

  banner(5, 'Bind a custom domain and call it by Host header');
  run(['domain', 'bind', 'api.example.com', '--function', 'web', '--local', '--yes'], { cwd: app, env: cliEnv });
  const { requestId } = await http(`${endpoint}/x/y?z=1`, { Host: 'api.example.com' });

  banner(6, `Show that request's log lines`);
  await new Promise((r) => setTimeout(r, 500)); // let the runtime flush the request's lines
  run(['logs', '--request-id', requestId, '--local'], { cwd: app, env: cliEnv });

  console.log(`\n${bold('Done.')} Everything above ran against the local emulator at ${endpoint}.`);
}

main()
  .catch((err) => {
    console.error(`\ndemo failed: ${err.message}`);
    process.exitCode = 1;
  })
  .finally(() => {
    if (emulator && emulator.exitCode === null) emulator.kill('SIGTERM');
    if (keep) console.log(`Kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  });
