/**
 * What the `trace`, `speedscope` and `report` plugins measure, in guest
 * instructions: the call stack followed as `callstack` follows it (calls,
 * tail calls and returns classified by the link-register rule), the
 * instructions run in each distinct stack (a call tree), and optionally a
 * time line of function spans, block execution counts and system calls.
 *
 * Calls and returns are batched exec events, delivered in execution order
 * with their instruction counts; system calls are sync events, placed on
 * the time line by their instruction counts.
 *
 * @module
 */

import type { PluginContext } from "../runtime/sdk/mod.ts";
import { CallStack, Symbolizer } from "./_call_stack.ts";
import { ABI_NAMES, changesStack, classify, target } from "./_riscv_control.ts";

/** One node of the call tree: a function reached through one stack. */
export interface TreeNode {
  /** Index into {@linkcode Profile.frames}. */
  readonly frame: number;
  /** Parent node index (-1 for a root). */
  readonly parent: number;
  /** Instructions run with this exact stack (self). */
  self: number;
  /** Children by frame index. */
  readonly children: Map<number, number>;
}

/** A time line entry: a function span opens or closes, or a system call. */
export type TimelineEvent =
  | { kind: "open" | "close"; frame: number; at: number }
  | { kind: "syscall"; name: string; at: number; ret?: number };

/** A basic block and how often it ran. */
export interface BlockCount {
  /** Start address. */
  readonly start: number;
  /** Size in bytes. */
  readonly size: number;
  /** Instructions in it. */
  readonly insns: number;
  /** Times executed. */
  count: number;
}

/** What to collect beyond the call tree. */
export interface ProfileOptions {
  /** Keep a time line of at most this many span and system call events. */
  timeline?: number;
  /** Count every block's executions. */
  blocks?: boolean;
}

/**
 * Collects a profile from a plugin context; read it in `onAtExit`.
 *
 * @example
 * ```ts ignore
 * const p = new Profile(ctx, { timeline: 100_000 });
 * ctx.onAtExit(() => console.log(p.frames.length, p.total));
 * ```
 */
export class Profile {
  /** Function names, indexed by frame number. */
  readonly frames: string[] = [];
  /** Entry address per frame (-1 when unknown). */
  readonly frameAddr: number[] = [];
  /** The call tree; node 0 is the root frame's. */
  readonly nodes: TreeNode[] = [];
  /** Time line (when asked for), in execution order of its kinds. */
  readonly timeline: TimelineEvent[] = [];
  /** Whether the time line stopped at its limit. */
  truncated = false;
  /** Blocks by `start:size` (when asked for). */
  readonly blocks = new Map<string, BlockCount>();
  /** System call counts and failures by name. */
  readonly syscalls = new Map<string, { count: number; errors: number }>();
  /** Instructions accounted for so far. */
  total = 0;
  /** The symbolizer used. */
  readonly sym: Symbolizer;

  readonly #frameOf = new Map<string, number>();
  readonly #path: number[] = [];
  readonly #limit: number;

  /** Instruments `ctx` (call from `install`). */
  constructor(ctx: PluginContext, opts: ProfileOptions = {}) {
    this.sym = new Symbolizer(ctx.symbols());
    this.#limit = opts.timeline ?? 0;
    const stack = new CallStack(this.sym, 1_000_000);
    const sym = this.sym;
    let pending: { name: string; at: number } | undefined;

    const call = (from: number, to: number, size: number, icount: number) => {
      this.#advance(icount, from);
      stack.call(from, to, from + size);
      this.#push(stack.top().fn, stack.top().addr, icount);
    };
    const tail = (from: number, to: number, icount: number) => {
      this.#advance(icount, from);
      stack.tail(from, to);
      this.#pop(1, icount, true);
      this.#push(stack.top().fn, stack.top().addr, icount);
    };
    const ret = (from: number, to: number, icount: number) => {
      this.#advance(icount, from);
      this.#pop(stack.ret(from, to).popped, icount);
    };

    ctx.onTbTrans((tb) => {
      if (opts.blocks) {
        const key = `${tb.vaddr}:${tb.size}`;
        let b = this.blocks.get(key);
        if (!b) {
          b = { start: tb.vaddr, size: tb.size, insns: tb.nInsns, count: 0 };
          this.blocks.set(key, b);
        }
        const block = b;
        tb.onExec(() => block.count++);
      }
      for (const insn of tb.insns) {
        const f = classify(insn.bytes);
        if (!f) continue;
        if (f.op === "jal") {
          const to = target(f, insn.vaddr, 0n);
          if (f.kind === "call") {
            insn.onExec((e) => call(e.pc, to, f.size, e.icount));
          } else if (changesStack(f, to, sym.entries)) {
            insn.onExec((e) => tail(e.pc, to, e.icount));
          }
          continue;
        }
        const reg = ABI_NAMES[f.rs1];
        insn.onExec((e) => {
          const to = target(f, e.pc, f.rs1 === 0 ? 0n : e.reg(reg));
          if (f.kind === "call") call(e.pc, to, f.size, e.icount);
          else if (f.kind === "return") ret(e.pc, to, e.icount);
          else if (changesStack(f, to, sym.entries)) tail(e.pc, to, e.icount);
        }, f.rs1 === 0 ? undefined : { regs: [reg] });
      }
    });

    ctx.onSyscall((e) => {
      const s = this.syscalls.get(e.name) ?? { count: 0, errors: 0 };
      s.count++;
      this.syscalls.set(e.name, s);
      pending = { name: e.name, at: e.icount };
      // exit and exit_group never return: record them now.
      if (e.name === "exit" || e.name === "exit_group") this.#syscall(pending);
    });
    ctx.onSyscallReturn((e) => {
      const r = Number(e.ret);
      if (r < 0 && r > -4096) this.syscalls.get(e.name)!.errors++;
      if (pending) this.#syscall({ ...pending, ret: r });
      pending = undefined;
    });
  }

  /** Ends the profile at `icount` (call in `onAtExit`): closes open spans. */
  finish(icount: number): void {
    this.#advance(icount, -1);
    this.#pop(this.#path.length, icount);
  }

  /** The frame numbers of `node` and its ancestors, root first. */
  stackOf(node: number): number[] {
    const out: number[] = [];
    for (let n = node; n >= 0; n = this.nodes[n].parent) {
      out.push(this.nodes[n].frame);
    }
    return out.reverse();
  }

  /** Instructions run in each function itself, by frame number. */
  selfByFrame(): number[] {
    const out = this.frames.map(() => 0);
    for (const n of this.nodes) out[n.frame] += n.self;
    return out;
  }

  #syscall(e: { name: string; at: number; ret?: number }): void {
    this.#log({ kind: "syscall", ...e });
  }

  #log(e: TimelineEvent): void {
    if (this.timeline.length < this.#limit) {
      this.timeline.push(e);
    } else if (this.#limit > 0 && !this.truncated) {
      this.truncated = true;
      // Close what is open so the spans written stay well nested.
      for (let i = this.#path.length - 1; i >= 0; i--) {
        const frame = this.nodes[this.#path[i]].frame;
        this.timeline.push({ kind: "close", frame, at: e.at });
      }
    }
  }

  #frame(name: string, addr: number): number {
    let f = this.#frameOf.get(name);
    if (f === undefined) {
      f = this.frames.length;
      this.frames.push(name);
      this.frameAddr.push(addr);
      this.#frameOf.set(name, f);
    }
    return f;
  }

  /** Charges the instructions since the last event to the running stack. */
  #advance(icount: number, pc: number): void {
    if (this.#path.length === 0) {
      // The first event: the root is the function holding its pc.
      const s = pc >= 0 ? this.sym.lookup(pc) : undefined;
      this.#push(s?.name ?? "?", s?.addr ?? -1, 0);
    }
    const n = icount - this.total;
    if (n > 0) {
      this.nodes[this.#path[this.#path.length - 1]].self += n;
      this.total = icount;
    }
  }

  #push(name: string, addr: number, at: number): void {
    const frame = this.#frame(name, addr);
    const parent = this.#path.length ? this.#path[this.#path.length - 1] : -1;
    const siblings = parent >= 0 ? this.nodes[parent].children : undefined;
    let node = siblings?.get(frame);
    if (node === undefined) {
      node = this.nodes.length;
      this.nodes.push({ frame, parent, self: 0, children: new Map() });
      siblings?.set(frame, node);
    }
    this.#path.push(node);
    if (!this.truncated) this.#log({ kind: "open", frame, at });
  }

  #pop(k: number, at: number, replaceRoot = false): void {
    // The root frame stays, unless a tail call replaces it or finish()
    // closes everything.
    const keep = replaceRoot || k >= this.#path.length ? 0 : 1;
    for (let i = 0; i < k && this.#path.length > keep; i++) {
      const node = this.#path.pop()!;
      if (!this.truncated) {
        this.#log({ kind: "close", frame: this.nodes[node].frame, at });
      }
    }
  }
}
