/**
 * Test plugin: every memory access goes to a batched callback and to a
 * sync one, and each keeps a digest of the fields it saw (pc, address,
 * size, direction, sign extension, value). Batched events are read from
 * ring records, sync ones come from host calls; the run is the same, so
 * the digests must agree (values include random bytes, so two runs would
 * not).
 *
 * @module
 */

import { definePlugin, type MemEvent } from "../../runtime/sdk/mod.ts";

/** Counts and a digest of the memory events one callback saw. */
class Digest {
  n = 0;
  stores = 0;
  signed = 0;
  h = 0;
  private mix(x: number): void {
    this.h = (Math.imul(this.h, 31) + x) | 0;
  }
  see(e: MemEvent): void {
    this.n++;
    this.mix(e.pc);
    this.mix(e.addr % 0x1_0000_0000);
    this.mix(Math.floor(e.addr / 0x1_0000_0000));
    this.mix(e.size);
    this.mix(Number(e.value & 0xffff_ffffn));
    this.mix(Number(e.value >> 32n));
    if (e.isStore) this.stores++;
    if (e.signExtended) this.signed++;
    if (e.bigEndian || e.vcpu !== 0) this.mix(-1);
  }
  toString(): string {
    return `${this.n} ${this.stores} ${this.signed} ${this.h >>> 0}`;
  }
}

export default definePlugin({
  name: "mem_trace",
  version: "1.0.0",
  api: "^1.0",
  install(ctx) {
    const batched = new Digest(), sync = new Digest();
    ctx.onTbTrans((tb) => {
      for (const insn of tb.insns) {
        insn.onMem((e) => batched.see(e), { mode: "batched" });
        insn.onMem((e) => sync.see(e), { mode: "sync" });
      }
    });
    ctx.onAtExit(() => ctx.log(`mem_trace: ${batched} / ${sync}\n`));
  },
});
