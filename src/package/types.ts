// What packaging produces for one function (see ./package.ts).
export interface PackagedFile {
  path: string; // posix path inside the zip
  size: number;
  mode: number;
}

export interface FunctionPackage {
  /** Absolute path of the deterministic zip on disk (under .fcx/build/). */
  zipPath: string;
  size: number;
  /** CRC-64/XZ of the zip bytes as an unsigned decimal string: equals FC's codeChecksum. */
  checksum: string;
  files: PackagedFile[];
}
