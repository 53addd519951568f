import { type Case, type MakeEngine, runCase } from "../isa/_cases.ts";
import { CASES_RV64A } from "../isa/_cases_rv64a.ts";
import { CASES_RV64I } from "../isa/_cases_rv64i.ts";
import { CASES_RV64M } from "../isa/_cases_rv64m.ts";
import { CASES_RVC } from "../isa/_cases_rvc.ts";
import { CASES_ZICSR } from "../isa/_cases_zicsr.ts";
import { CASES_FD } from "../isa/_cases_fd.ts";
import { Translator } from "./translator.ts";

// The translator runs the very cases the reference interpreter runs, all
// translated (no interpreter tier), in regions and one block at a time.
const jit = (regions: boolean): MakeEngine => (mem, cpu, fpu) => {
  const t = new Translator(mem, cpu, fpu);
  t.hotAfter = 0;
  t.regions = regions;
  return { run: () => t.run() };
};

function suite(ext: string, cases: readonly Case[]) {
  for (const c of cases) {
    Deno.test(`Translator ${ext}: ${c.asm}`, () => runCase(jit(true), c));
    Deno.test(
      `Translator ${ext}, single blocks: ${c.asm}`,
      () => runCase(jit(false), c),
    );
  }
}

suite("RV64I", CASES_RV64I);
suite("RV64M", CASES_RV64M);
suite("RV64A", CASES_RV64A);
suite("Zicsr", CASES_ZICSR);
suite("RVC", CASES_RVC);
suite("F/D", CASES_FD);
