/** Property columns shared by the tabular and XML formats: one column per property name, with one type. */
import type { Property, PropertyType, Scalar } from "./types.ts";

export interface Column {
    name: string;
    /** The property type when every item agrees on it; otherwise values are written as strings. */
    type: PropertyType | "mixed";
}

export function columnsOf(items: { properties: Property[] }[]): Column[] {
    const types = new Map<string, PropertyType | "mixed">();
    for (const item of items) {
        for (const p of item.properties) {
            const known = types.get(p.name);
            if (known === undefined) types.set(p.name, p.type);
            else if (known !== "mixed" && !sameType(known, p.type)) {
                // An empty list has no element type: it agrees with any list.
                if (known.list && p.type.list && known.base === "nothing") types.set(p.name, p.type);
                else if (!(known.list && p.type.list && p.type.base === "nothing")) types.set(p.name, "mixed");
            }
        }
    }
    return [...types.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, type]) => ({ name, type }));
}

function sameType(a: PropertyType, b: PropertyType): boolean {
    return a.base === b.base && a.list === b.list;
}

/** A value as text: lists as JSON, floats with a decimal point. */
export function valueText(value: Scalar | Scalar[], type: PropertyType): string {
    if (Array.isArray(value)) return JSON.stringify(value);
    if (type.base === "float" && typeof value === "number" && Number.isInteger(value)) return value.toFixed(1);
    return String(value);
}

/** GraphML/GEXF attribute type for a column: numbers and booleans keep their type, everything else is text. */
export function xmlAttributeType(column: Column): "string" | "long" | "double" | "boolean" {
    if (column.type === "mixed" || column.type.list) return "string";
    switch (column.type.base) {
        case "integer":
            return "long";
        case "float":
            return "double";
        case "boolean":
            return "boolean";
        default:
            return "string";
    }
}

export function escapeXml(text: string): string {
    return text
        .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, "")
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/"/g, "&quot;");
}
