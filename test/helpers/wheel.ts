// A minimal pure-Python wheel built with zipfile: PyPI is unreachable here and the `wheel` package is not
// installed, so tests make the wheels pip installs (with --no-index --find-links, as a user would via FCX_PIP_ARGS).
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export function buildWheel(dir: string, name: string, version: string, value: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}-${version}-py3-none-any.whl`);
  const script = `import sys, zipfile
name, ver, value, out = sys.argv[1:5]
di = f"{name}-{ver}.dist-info"
files = {
  f"{name}/__init__.py": f"VALUE = {value!r}\\n",
  f"{di}/METADATA": f"Metadata-Version: 2.1\\nName: {name}\\nVersion: {ver}\\n",
  f"{di}/WHEEL": "Wheel-Version: 1.0\\nGenerator: fcx-test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
}
files[f"{di}/RECORD"] = "".join(f"{p},,\\n" for p in files) + f"{di}/RECORD,,\\n"
with zipfile.ZipFile(out, "w") as z:
    for p, c in files.items(): z.writestr(p, c)`;
  const r = spawnSync('python3', ['-c', script, name, version, value, file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building the test wheel failed: ${r.stderr}`);
  return file;
}
