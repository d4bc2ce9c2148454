/** Documents per write transaction unless the caller says otherwise (`cyberkg load --batch-size`; 1 = one per document). */
export const DEFAULT_BATCH_SIZE = 100;
