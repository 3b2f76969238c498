// One lint config for every workspace (ESLint looks for the nearest config upward from each file,
// so `eslint .` inside a package and `eslint` at the root both use this file).
// A small rule set: unused code, and promises nobody awaits or whose rejection nobody handles.
// Type-aware (floating promises need the types): each file is read with its package's tsconfig.json.
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

const unusedVars = [
  "error",
  { args: "after-used", argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true },
];

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/.next/**",
      "**/dist/**",
      "**/.turbo/**",
      "**/coverage/**",
      "**/test-results/**",
      "packages/db/src/generated/**",
      "packages/trainer/kernels/**", // AssemblyScript, compiled by asc
      "packages/client-python/**/*.py",
      "apps/web/next-env.d.ts", // written by Next
      "bench/**", // not part of any tsconfig; benches are never part of `npm test`
      "examples/**",
      "eslint-fixtures/**", // planted violations, linted on purpose by eslint.config.test.ts
    ],
  },
  { linterOptions: { reportUnusedDisableDirectives: "error" } },
  {
    files: ["**/*.{ts,tsx,mts,cts}"],
    extends: [tseslint.configs.base],
    languageOptions: {
      parserOptions: {
        projectService: {
          // files outside every tsconfig's include (this config's test, dev-time generator scripts):
          // read with the base options
          allowDefaultProject: ["eslint.config.test.ts", "packages/analysis/fixtures/*.ts", "packages/trainer/datasets/*.ts"],
          defaultProject: "tsconfig.base.json",
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": unusedVars,
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "no-unused-expressions": "off",
      "@typescript-eslint/no-unused-expressions": ["error", { allowShortCircuit: true, allowTernary: true }],
      "no-unreachable": "error",
      "no-unused-labels": "error",
    },
  },
  {
    // Plain JS (bin scripts, preloads): no tsconfig covers them, so only the untyped rules.
    files: ["**/*.{js,mjs,cjs}"],
    rules: {
      "no-unused-vars": unusedVars,
      "no-unused-expressions": ["error", { allowShortCircuit: true, allowTernary: true }],
      "no-unreachable": "error",
      "no-unused-labels": "error",
    },
  },
  {
    files: ["apps/web/**/*.{ts,tsx}", "eslint-fixtures/**/*.tsx"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
    },
  },
);
