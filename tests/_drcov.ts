/**
 * A reader of drcov files (versions 2 and 3 of the module table, binary
 * block table), written apart from the plugin's writer so tests check the
 * format, not the writer against itself.
 *
 * @module
 */

/** A parsed drcov file. */
export interface Drcov {
  /** `DRCOV VERSION`. */
  version: number;
  /** `DRCOV FLAVOR`. */
  flavor: string;
  /** Module rows, keyed by column name (`id`, `base`, `end`, `entry`, `path`). */
  modules: Record<string, string>[];
  /** Block records. */
  blocks: { start: number; size: number; module: number }[];
}

/**
 * Parses `bytes` as a drcov file; throws an Error saying what is wrong.
 *
 * @example
 * ```ts ignore
 * import { parseDrcov } from "./_drcov.ts";
 * console.log(parseDrcov(Deno.readFileSync("file.drcov.trace")).blocks.length);
 * ```
 */
export function parseDrcov(bytes: Uint8Array): Drcov {
  let pos = 0;
  const line = (): string => {
    const nl = bytes.indexOf(0x0a, pos);
    if (nl < 0) throw new Error(`drcov: unterminated line at byte ${pos}`);
    const s = new TextDecoder().decode(bytes.subarray(pos, nl));
    pos = nl + 1;
    return s;
  };
  const expect = (re: RegExp): RegExpExecArray => {
    const l = line();
    const m = re.exec(l);
    if (!m) throw new Error(`drcov: "${l}" does not match ${re}`);
    return m;
  };
  const version = Number(expect(/^DRCOV VERSION: (\d+)$/)[1]);
  const flavor = expect(/^DRCOV FLAVOR: (.*)$/)[1];
  const count = Number(
    expect(/^Module Table: version \d+, count (\d+)$/)[1],
  );
  const columns = expect(/^Columns: (.*)$/)[1].split(", ");
  const modules: Record<string, string>[] = [];
  for (let i = 0; i < count; i++) {
    const cells = line().split(", ");
    // The path is last and may itself contain ", ".
    const row: Record<string, string> = {};
    columns.forEach((c, j) => {
      row[c.trim()] = j === columns.length - 1
        ? cells.slice(j).join(", ")
        : cells[j].trim();
    });
    modules.push(row);
  }
  const n = Number(expect(/^BB Table: (\d+) bbs$/)[1]);
  if (bytes.length - pos !== n * 8) {
    throw new Error(
      `drcov: ${n} blocks need ${n * 8} bytes, found ${bytes.length - pos}`,
    );
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset + pos);
  const blocks = [];
  for (let i = 0; i < n; i++) {
    blocks.push({
      start: v.getUint32(i * 8, true),
      size: v.getUint16(i * 8 + 4, true),
      module: v.getUint16(i * 8 + 6, true),
    });
  }
  return { version, flavor, modules, blocks };
}
