// Types for every operation in src/**/*.graphql, checked against the API's committed schema.
// typescript-operations (v6+) emits the enums and inputs the operations use by itself, so the
// separate `typescript` plugin (all schema types) is not needed.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  // PRESSROOM_SCHEMA: try the storefront against a schema that is not committed yet.
  schema: process.env.PRESSROOM_SCHEMA ?? "../schema/schema.graphql",
  documents: ["src/**/*.graphql"],
  generates: {
    "src/generated/graphql.ts": {
      plugins: ["typescript-operations", "typed-document-node"],
      config: {
        useTypeImports: true,
        avoidOptionals: { field: true, inputValue: false, object: true },
        scalars: {
          DateTime: "string",
          Date: "string",
          Decimal: "string",
          JSON: "unknown",
          Upload: "File",
        },
      },
    },
  },
  silent: true,
};

export default config;
