export const DIAGNOSES = {};
