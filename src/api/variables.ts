/**
 * Variable coercion up front: graphql-js would reject `{"document": null}` for a `JSON!` variable during
 * execution, but plugins that read variables earlier (the cost estimate in limits.ts coerces them too) throw the
 * same error from a pipeline hook, which Apollo answers with HTTP 500. This plugin, listed before them, turns a
 * bad variable into what it is: BAD_USER_INPUT, HTTP 400, with graphql-js's message naming the variable.
 */
import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError, Kind, getVariableValues, type OperationDefinitionNode } from "graphql";

export function variablesPlugin(): ApolloServerPlugin {
    return {
        async requestDidStart() {
            return {
                async didResolveOperation({ request, document, schema, operationName }) {
                    const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
                    const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
                    if (!operation?.variableDefinitions?.length) return;
                    const result = getVariableValues(schema, operation.variableDefinitions, request.variables ?? {}, { maxErrors: 5 });
                    if (result.errors?.length) {
                        throw new GraphQLError(result.errors.map((e) => e.message).join("; "), { extensions: { code: "BAD_USER_INPUT", http: { status: 400 } } });
                    }
                },
            };
        },
    };
}
