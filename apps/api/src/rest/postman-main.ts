// `pnpm postman`: rewrites the committed Postman collection from the OpenAPI document.
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { createOpenApiDocument } from './openapi.ts';
import { COLLECTION_FILE, COLLECTION_NAME, collectionJson, createPostmanCollection, requestLines } from './postman.ts';

const collection = await createPostmanCollection(JSON.stringify(createOpenApiDocument(COLLECTION_NAME)));
writeFileSync(COLLECTION_FILE, collectionJson(collection));
console.log(`Wrote ${relative(process.cwd(), COLLECTION_FILE)}: ${requestLines(collection.item).length} requests.`);
