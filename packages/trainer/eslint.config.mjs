// A small rule set run by `npm test` (before vitest): unused code and promises nobody awaits.
// Type-aware (floating promises need the types), so it reads tsconfig.json.
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["kernels/**", "node_modules/**"] },
  {
    files: ["src/**/*.ts", "test/**/*.ts"],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { args: "after-used", argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true }],
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: false }],
      "no-unreachable": "error",
      "no-unused-labels": "error",
      "no-unused-expressions": "off",
      "@typescript-eslint/no-unused-expressions": ["error", { allowShortCircuit: true, allowTernary: true }],
    },
  },
);
