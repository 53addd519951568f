/**
 * Resolving a run's plugins before any is installed: probe each, load the
 * in-tree dependencies nobody named (like PANDA's `panda_require`), check
 * every `requires` range, refuse two plugins with one name, log which
 * plugin each dependency resolved to, and order them so each comes after
 * what it requires. The plugin set enters this once, from its load line.
 *
 * @module
 */

import {
  type LoadPluginOptions,
  type ProbedPlugin,
  probePlugin,
} from "./load.ts";
import { inTreePlugins } from "./spec.ts";
import { satisfies } from "../wire/semver.ts";

/** Plugins' dependencies cannot be satisfied (missing, mismatched, cyclic, duplicate). */
export class PluginDependencyError extends Error {
  /** Always "PluginDependencyError". */
  override name = "PluginDependencyError";
}

/**
 * Orders plugins so each comes after the plugins it requires, keeping the
 * given order otherwise; throws on a cycle, naming its plugins and versions.
 *
 * @example
 * ```ts ignore
 * const ordered = dependencyOrder(probed);
 * ```
 */
export function dependencyOrder(
  plugins: readonly ProbedPlugin[],
): ProbedPlugin[] {
  const byName = new Map(plugins.map((p) => [p.manifest.name, p]));
  const done = new Set<string>(), out: ProbedPlugin[] = [];
  const visit = (p: ProbedPlugin, path: ProbedPlugin[]) => {
    const name = p.manifest.name;
    if (done.has(name)) return;
    if (path.includes(p)) {
      const cycle = [...path.slice(path.indexOf(p)), p]
        .map((q) => `${q.manifest.name} ${q.manifest.version}`).join(" -> ");
      throw new PluginDependencyError(
        `plugins require each other in a cycle: ${cycle}`,
      );
    }
    for (const dep of Object.keys(p.manifest.requires)) {
      const d = byName.get(dep);
      if (d) visit(d, [...path, p]);
    }
    done.add(name);
    out.push(p);
  };
  for (const p of plugins) visit(p, []);
  return out;
}

/** Where a plugin came from, for the log: in-tree, a path, or a URL. */
function origin(p: ProbedPlugin): string {
  if (p.spec.kind === "remote") return `URL ${p.spec.url}`;
  const inTree = new URL("../../plugins/", import.meta.url).href;
  return p.spec.url.startsWith(inTree)
    ? `the in-tree plugin ${p.spec.label}`
    : `path ${decodeURIComponent(new URL(p.spec.url).pathname)}`;
}

/**
 * Probes the plugins `specs` name and resolves their dependencies; returns
 * them in dependency order, whatever the command-line order. A missing or
 * mismatched dependency, a cycle, or two plugins with one name is refused
 * with a {@link PluginDependencyError} naming the plugins and versions (and
 * every probed plugin's source is released).
 *
 * @example
 * ```ts ignore
 * const order = await resolvePlugins(["qpp_consumer"], loadOpts);
 * for (const p of order) await install(p);
 * ```
 */
export async function resolvePlugins(
  specs: readonly string[],
  opts: LoadPluginOptions,
): Promise<ProbedPlugin[]> {
  const probed: ProbedPlugin[] = [];
  try {
    const byName = new Map<string, ProbedPlugin>();
    const add = (p: ProbedPlugin) => {
      const other = byName.get(p.manifest.name);
      if (other) {
        throw new PluginDependencyError(
          `two plugins are named "${p.manifest.name}": ${other.spec.label} (${other.manifest.version}) and ` +
            `${p.spec.label} (${p.manifest.version}); load each plugin once`,
        );
      }
      byName.set(p.manifest.name, p);
      probed.push(p);
    };
    for (const spec of specs) add(await probePlugin(spec, opts));
    // Resolve dependencies, loading in-tree ones nobody named.
    const inTree = new Set(inTreePlugins());
    for (let i = 0; i < probed.length; i++) {
      const p = probed[i];
      for (const [dep, range] of Object.entries(p.manifest.requires)) {
        if (!byName.has(dep)) {
          if (!inTree.has(dep)) {
            throw new PluginDependencyError(
              `plugin "${p.manifest.name}" ${p.manifest.version} requires ${dep} ${range}, which is not loaded ` +
                `and is not an in-tree plugin (add --plugin ${dep}, pointing at it)`,
            );
          }
          add(await probePlugin(dep, opts));
        }
        const d = byName.get(dep)!;
        if (!satisfies(d.manifest.version, range)) {
          throw new PluginDependencyError(
            `plugin "${p.manifest.name}" ${p.manifest.version} requires ${dep} ${range}, ` +
              `but ${dep} ${d.manifest.version} is loaded`,
          );
        }
      }
    }
    // Say which plugin each dependency resolved to: a name is only a
    // name, and a path or URL can claim any of them.
    for (const p of probed) {
      for (const [dep, range] of Object.entries(p.manifest.requires)) {
        const d = byName.get(dep)!;
        opts.log(
          `pandeno: plugin "${p.manifest.name}" requires ${dep} ${range}: ` +
            `using ${dep} ${d.manifest.version} from ${origin(d)}`,
        );
      }
    }
    return dependencyOrder(probed);
  } catch (e) {
    for (const p of probed) p.source.release();
    throw e;
  }
}
