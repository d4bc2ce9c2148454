/** Types for html-encoding-sniffer (the package ships none): the WHATWG encoding sniffing algorithm. */
declare module "html-encoding-sniffer" {
    export default function sniffHTMLEncoding(bytes: Uint8Array, options?: { transportLayerEncodingLabel?: string; defaultEncoding?: string }): string;
}
