import ts from 'typescript';
import { dts } from 'rollup-plugin-dts';

// Ours (relative files and workspace packages) is bundled; every other import stays an import.
const external = (id) => !/^(\.|\/|@appointments\/)/.test(id);
// The only imports the published files may keep: the package's runtime dependencies.
const allowedImport = /^@trpc\/(client|server)(\/|$)/;

/** The sources use only erasable TypeScript, so a per-file transpile (no type checking) suffices. */
const transpile = {
  name: 'transpile',
  transform(code, id) {
    if (!id.endsWith('.ts')) return null;
    const { outputText, sourceMapText } = ts.transpileModule(code, {
      fileName: id,
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true, sourceMap: true },
    });
    return { code: outputText.replace(/\n\/\/# sourceMappingURL=.*$/, ''), map: sourceMapText };
  },
};

/** A type that names another package (e.g. an ORM type in the router's context) breaks consumers; fail the build. */
const reportLeaks = {
  name: 'report-leaks',
  generateBundle(_options, bundle) {
    for (const chunk of Object.values(bundle)) {
      const leaked = chunk.type === 'chunk' ? chunk.imports.filter((id) => !allowedImport.test(id)) : [];
      if (leaked.length) this.error(`${chunk.fileName} imports ${leaked.join(', ')}; consumers cannot resolve these`);
    }
  },
};

export default [
  {
    input: 'src/index.ts',
    external,
    plugins: [transpile, reportLeaks],
    output: { file: 'dist/index.js', format: 'es' },
  },
  {
    input: 'src/index.ts',
    external,
    plugins: [
      // preserveSymlinks off: workspace packages resolve to their real paths, where their own deps resolve.
      // stripInternal: lets server code mark members that must not reach clients (e.g. ORM constructors) @internal.
      dts({ tsconfig: 'tsconfig.json', respectExternal: true, compilerOptions: { preserveSymlinks: false, stripInternal: true } }),
      reportLeaks,
    ],
    output: { file: 'dist/index.d.ts', format: 'es' },
  },
];
