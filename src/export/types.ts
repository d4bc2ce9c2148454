/**
 * The graph as exported: nodes and relationships with typed property values, independent of the driver, in a
 * deterministic order (so exporting the same graph twice gives the same bytes).
 */

/** Property value types, as Cypher's `valueType()` names them (lists carry their element type). */
export type ScalarType =
    | "string"
    | "integer"
    | "float"
    | "boolean"
    | "date"
    | "datetime"
    | "localdatetime"
    | "time"
    | "localtime"
    | "duration"
    | "point"
    | "nothing";

export interface PropertyType {
    base: ScalarType;
    list: boolean;
}

/** Temporal, duration and point values are kept as their ISO/Cypher string; numbers keep their Cypher type in `type`. */
export type Scalar = string | number | boolean;

export interface Property {
    name: string;
    type: PropertyType;
    value: Scalar | Scalar[];
}

export interface ExportNode {
    /** Stable key: the node's `id` property when it has a unique one, else `_n<index>`. */
    key: string;
    labels: string[];
    properties: Property[];
}

export interface ExportRelationship {
    key: string;
    type: string;
    start: string;
    end: string;
    properties: Property[];
}

export interface ExportGraph {
    nodes: ExportNode[];
    relationships: ExportRelationship[];
    /** What was asked for, for headers and comments. */
    scope: { around: string[]; depth: number; entitiesOnly: boolean };
}

export function propertyValue(properties: Property[], name: string): Scalar | Scalar[] | undefined {
    return properties.find((p) => p.name === name)?.value;
}

/** A short display label: name, title, predicate or id. */
export function displayLabel(node: ExportNode): string {
    for (const key of ["name", "title", "predicate", "id"]) {
        const value = propertyValue(node.properties, key);
        if (typeof value === "string" && value) return value;
    }
    return node.key;
}
