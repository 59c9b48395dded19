// Writes the edited fcx.yaml the way an editor that respects the file would: through a symlink to the file it
// points at (the link stays a link), with the file's permissions (fcx.yaml may hold a private key inline and be
// 0600) and owner, and atomically (a temp file in the same folder, fsync, rename over the real path), so an
// interrupted write never leaves half a manifest.
import { randomBytes } from 'node:crypto';
import { chmod, chown, open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The file a path names after following symlinks; the path itself when it does not exist yet. */
async function realTarget(file: string): Promise<string> {
  try {
    return await realpath(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return file;
    throw err;
  }
}

export async function writeManifestText(file: string, text: string): Promise<string> {
  const target = await realTarget(file);
  const st = await stat(target).catch(() => undefined);
  const mode = st ? st.mode & 0o7777 : 0o644;
  const dir = dirname(target);
  const tmp = join(dir, `.${basename(target)}.fcx-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  // Created with the final mode at once (0600 stays private from the first byte), never over an existing file.
  const handle = await open(tmp, 'wx', mode & 0o777);
  try {
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(tmp, mode); // the umask may have narrowed the mode open() used
    if (st && (typeof process.getuid !== 'function' || st.uid !== process.getuid() || st.gid !== process.getgid?.())) {
      // Keep the owner when allowed (root editing a user's file); an ordinary user cannot give files away.
      await chown(tmp, st.uid, st.gid).catch(() => undefined);
    }
    await rename(tmp, target);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  // The rename is durable once the folder entry is on disk (best effort: not every platform can fsync a folder).
  try {
    const d = await open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // ignore
  }
  return target;
}
