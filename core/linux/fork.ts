/**
 * What a forked child copies from its parent: the mapped pages of guest
 * memory (with their protections), the mapping table, the heap and mmap
 * positions, the working directory, umask, limits, signal dispositions, and
 * the fd table, whose open file descriptions are shared (same offsets and
 * status flags, as on Linux), with each fd's close-on-exec flag.
 *
 * @module
 */

import {
  GUEST_MAX,
  GUEST_MIN,
  PAGE_SHIFT,
  PAGE_SIZE,
  PERM_MAPPED,
} from "../layout.ts";
import type { Kernel } from "./kernel.ts";

/**
 * Copies `parent`'s process state into the fresh `child` (same options).
 *
 * @example
 * ```ts ignore
 * copyProcess(parentMachine.kernel, childMachine.kernel);
 * ```
 */
export function copyProcess(parent: Kernel, child: Kernel): void {
  parent.maps.park(); // shared pages published, so the copy is current
  copyMemory(parent, child);
  child.maps = parent.maps.fork(child.mem);
  child.symbols = parent.symbols;
  child.clock = parent.clock;
  child.cwd = parent.cwd;
  child.brkStart = parent.brkStart;
  child.brk = parent.brk;
  child.mmapTop = parent.mmapTop;
  child.umask = parent.umask;
  parent.rlimits.forEach((r, i) => child.rlimits[i] = [r[0], r[1]]);
  parent.signals.actions.forEach((a, i) => child.signals.actions[i] = { ...a });
  child.fds.limit = parent.fds.limit;
  for (const fd of [0, 1, 2]) child.fds.close(fd);
  for (let fd = 0; fd < parent.fds.limit; fd++) {
    const e = parent.fds.get(fd);
    if (!e) continue;
    e.desc.refs++;
    child.fds.install(e.desc, e.cloexec, fd);
  }
}

/**
 * Copies every mapped page, run by run of equal protection. Pages that hold
 * only zeros are not copied: the child's fresh memory is zero already, and
 * writing it would commit host memory for every untouched stack page (an
 * 8 MiB copy into fresh memory costs hundreds of milliseconds).
 */
function copyMemory(parent: Kernel, child: Kernel): void {
  const perm = parent.mem.perm;
  const src = parent.mem.u8, dst = child.mem.u8;
  const words = new Int32Array(src.buffer);
  const first = GUEST_MIN >>> PAGE_SHIFT, last = GUEST_MAX >>> PAGE_SHIFT;
  for (let p = first; p < last;) {
    if (!(perm[p] & PERM_MAPPED)) {
      p++;
      continue;
    }
    const prot = perm[p] & 7;
    let q = p + 1;
    while (q < last && (perm[q] & PERM_MAPPED) && (perm[q] & 7) === prot) q++;
    const addr = p * PAGE_SIZE, len = (q - p) * PAGE_SIZE;
    child.mem.map(addr, len, prot);
    child.vm.set(addr, len, true);
    for (let page = p; page < q; page++) {
      const w = (page * PAGE_SIZE) / 4;
      let i = 0;
      while (i < PAGE_SIZE / 4 && words[w + i] === 0) i++;
      if (i < PAGE_SIZE / 4) {
        const a = page * PAGE_SIZE;
        dst.set(src.subarray(a, a + PAGE_SIZE), a);
      }
    }
    p = q;
  }
}
