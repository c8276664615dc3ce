export async function search() { return []; }
