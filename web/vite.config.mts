import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

/** The JavaScript of the first page load, gzipped: the entry chunk and what it imports statically. */
const LIMIT_KB = 150;

function firstLoadSize(): Plugin {
  return {
    name: 'lms-import:first-load-size',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map(Object.values(bundle).flatMap((item) => (item.type === 'chunk' ? [[item.fileName, item] as const] : [])));
      const loaded = new Set<string>();
      const visit = (name: string) => {
        const chunk = chunks.get(name);
        if (!chunk || loaded.has(name)) return;
        loaded.add(name);
        chunk.imports.forEach(visit);
      };
      for (const chunk of chunks.values()) if (chunk.isEntry) visit(chunk.fileName);
      const bytes = [...loaded].reduce((sum, name) => sum + gzipSync(chunks.get(name)!.code, { level: 9 }).length, 0);
      const kb = (bytes / 1024).toFixed(1);
      console.log(`\nweb wizard: first page load = ${kb} KB of JavaScript gzipped (${loaded.size} file${loaded.size > 1 ? 's' : ''}; limit ${LIMIT_KB} KB)`);
      if (bytes > LIMIT_KB * 1024) this.error(`the first page load is ${kb} KB of JavaScript gzipped, over the ${LIMIT_KB} KB limit`);
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
    reportCompressedSize: false,
  },
  // `npx vite --config web/vite.config.mts`: the wizard with hot reload, against the service on :4000.
  server: {
    proxy: {
      '/graphql': { target: 'http://localhost:4000', ws: true },
      '/imports': 'http://localhost:4000',
      '/adapters': 'http://localhost:4000',
    },
  },
  plugins: [firstLoadSize()],
});
