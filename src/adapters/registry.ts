import fs from 'node:fs';
import path from 'node:path';
import type { EntitySchema } from 'typeorm';
import { z } from 'zod';
import { OnExisting } from '../imports/enums';
import { ADAPTER_API_VERSION, type AnyAdapter } from './define-adapter';

/** The folder of the adapters shipped with the service (next to `src/`, also once compiled). */
export const builtInPluginsDir = path.resolve(__dirname, '../../plugins');

export class AdapterLoadError extends Error {}

const localized = z.union([z.string().min(1), z.object({ en: z.string().min(1), fr: z.string().optional() })]);
const code = z.object({ code: z.string().min(1), label: localized });
const isFunction = (what: string) => z.custom<Function>((v) => typeof v === 'function', `${what} must be a function`);
/** An entity class, or a TypeORM EntitySchema (duck-typed: the plugin may ship its own TypeORM copy). */
const isEntity = z.custom(
  (v) => typeof v === 'function' || typeof (v as { options?: { name?: unknown } })?.options?.name === 'string',
  'an entity must be a class or an EntitySchema',
);

/** The shape every adapter must have; checked at boot so that a broken plugin stops the start. */
const adapterShape = z.object({
  apiVersion: z.number(),
  name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes'),
  label: localized,
  description: localized,
  columns: z
    .array(
      z.object({
        name: z.string().min(1),
        label: localized,
        description: localized,
        required: z.boolean().optional(),
        aliases: z.array(z.string()).optional(),
        codes: z.array(code).optional(),
      }),
    )
    .min(1, 'must declare at least one column'),
  format: z
    .object({
      delimiters: z.array(z.string().length(1)).min(1).optional(),
      escape: z.string().length(1).optional(),
    })
    .optional(),
  rowSchema: z.custom((v) => typeof (v as { safeParse?: unknown })?.safeParse === 'function', 'must be a zod schema'),
  options: z
    .custom((v) => typeof (v as { safeParse?: unknown })?.safeParse === 'function', 'must be a zod schema')
    .optional(),
  onExisting: z.object({ choices: z.array(z.enum(OnExisting)).min(1), default: z.enum(OnExisting) }),
  enrollIfNeeded: z.boolean().optional(),
  partitionKey: z.string().optional(),
  entities: z.array(isEntity).optional(),
  migrations: z.array(isFunction('a migration')).optional(),
  messages: z.record(z.string(), localized).optional(),
  package: z
    .object({
      members: z.array(z.object({ file: z.string().regex(/^[\w.-]+$/, 'must be a plain file name'), adapter: z.object({ name: z.string() }).loose() })).min(1),
      reads: z.array(z.string()).optional(),
      plan: isFunction('package.plan').optional(),
    })
    .optional(),
  exampleFile: z.string().refine((file) => fs.existsSync(file), 'must name an existing file'),
  resolve: isFunction('resolve'),
  persist: isFunction('persist'),
});

/** Checks a loaded module's default export; throws naming the adapter and what is wrong. */
export function validateAdapter(candidate: unknown, source: string): AnyAdapter {
  const name =
    typeof (candidate as { name?: unknown })?.name === 'string' ? (candidate as { name: string }).name : source;
  if (typeof candidate !== 'object' || candidate === null) {
    throw new AdapterLoadError(`Adapter "${name}" (${source}): the module must export an adapter definition`);
  }
  const apiVersion = (candidate as { apiVersion?: unknown }).apiVersion;
  if (apiVersion !== ADAPTER_API_VERSION) {
    throw new AdapterLoadError(
      `Adapter "${name}" (${source}): written for plugin API version ${String(apiVersion)}, this host implements version ${ADAPTER_API_VERSION}`,
    );
  }
  const parsed = adapterShape.safeParse(candidate);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new AdapterLoadError(`Adapter "${name}" (${source}) is invalid: ${problems.join('; ')}`);
  }
  const adapter = candidate as AnyAdapter;
  if (!adapter.onExisting.choices.includes(adapter.onExisting.default)) {
    throw new AdapterLoadError(`Adapter "${name}" (${source}): onExisting.default is not one of its choices`);
  }
  const names = adapter.columns.map((column) => column.name.toLowerCase());
  const duplicate = names.find((column, i) => names.indexOf(column) !== i);
  if (duplicate) throw new AdapterLoadError(`Adapter "${name}" (${source}): column "${duplicate}" is declared twice`);
  if (adapter.partitionKey !== undefined && !adapter.columns.some((column) => column.name === adapter.partitionKey)) {
    throw new AdapterLoadError(`Adapter "${name}" (${source}): partitionKey "${adapter.partitionKey}" is not one of its columns`);
  }
  for (const member of adapter.package?.members ?? []) {
    if (member.adapter.package) throw new AdapterLoadError(`Adapter "${name}" (${source}): member ${member.file} is itself a package`);
    validateAdapter(member.adapter, `${source}, member ${member.file}`);
  }
  return adapter;
}

function loadModule(file: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(file) as { default?: unknown };
  return module.default ?? module;
}

/** Resolves an entry of LMS_IMPORT_PLUGINS: a path (absolute or relative to the working directory) or a package name. */
export function resolvePluginEntry(entry: string, cwd = process.cwd()): string {
  const isPath = entry.startsWith('.') || path.isAbsolute(entry);
  try {
    return require.resolve(isPath ? path.resolve(cwd, entry) : entry, { paths: [cwd] });
  } catch {
    throw new AdapterLoadError(`Adapter plugin "${entry}" (LMS_IMPORT_PLUGINS) cannot be found from ${cwd}`);
  }
}

/** The adapters of this process, by name. */
export class AdapterRegistry {
  private readonly adapters = new Map<string, AnyAdapter>();

  register(adapter: AnyAdapter, source: string): void {
    const existing = this.adapters.get(adapter.name);
    if (existing) throw new AdapterLoadError(`Adapter "${adapter.name}" (${source}) is defined twice`);
    this.adapters.set(adapter.name, adapter);
  }

  get(name: string): AnyAdapter | undefined {
    return this.adapters.get(name);
  }

  list(): AnyAdapter[] {
    return [...this.adapters.values()];
  }

  /** The adapters and the member adapters of packages. */
  withMembers(): AnyAdapter[] {
    return this.list().flatMap((adapter) => [adapter, ...(adapter.package?.members.map((member) => member.adapter) ?? [])]);
  }

  entities(): Array<Function | EntitySchema> {
    return this.withMembers().flatMap((adapter) => adapter.entities ?? []);
  }

  migrations(): Function[] {
    return this.withMembers().flatMap((adapter) => adapter.migrations ?? []);
  }

  /** Loads every folder of `pluginsDir` and every entry of `extra` (LMS_IMPORT_PLUGINS). */
  static load(options: { pluginsDir?: string; extra?: readonly string[]; cwd?: string } = {}): AdapterRegistry {
    const registry = new AdapterRegistry();
    const pluginsDir = options.pluginsDir ?? builtInPluginsDir;
    const folders = fs.existsSync(pluginsDir)
      ? fs
          .readdirSync(pluginsDir, { withFileTypes: true })
          .filter((entry) => entry.isDirectory() && !/^[._]/.test(entry.name))
          .map((entry) => path.join(pluginsDir, entry.name))
          .sort()
      : [];
    const sources = [
      ...folders.map((folder) => ({ source: `plugins/${path.basename(folder)}`, file: () => require.resolve(folder) })),
      ...(options.extra ?? []).map((entry) => ({ source: entry, file: () => resolvePluginEntry(entry, options.cwd) })),
    ];
    for (const { source, file } of sources) {
      let candidate: unknown;
      try {
        candidate = loadModule(file());
      } catch (error) {
        if (error instanceof AdapterLoadError) throw error;
        throw new AdapterLoadError(`Adapter plugin "${source}" failed to load: ${(error as Error).message}`);
      }
      registry.register(validateAdapter(candidate, source), source);
    }
    return registry;
  }
}
