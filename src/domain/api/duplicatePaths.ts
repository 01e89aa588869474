import type { EntityDef } from '../schema'
import { DUPLICATE_REASONS } from '../duplicates/findDuplicates'
import { DUPLICATES_DEFAULT_LIMIT, DUPLICATES_MAX_LIMIT, offersDuplicates } from '../duplicates/duplicateEntities'

/*
 * The duplicates' part of the OpenAPI document (issue 18), as server/api/duplicateRoutes.ts
 * answers it: GET /{entity}/duplicates and POST /{entity}/merge for contacts, companies and
 * leads. Kept apart from openApiDocument like importPaths.
 */

type Json = Record<string, unknown>

const problems = (...statuses: string[]): Json => Object.fromEntries(statuses.map((s) => [s, { $ref: `#/components/responses/Problem${s}` }]))
const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` })

const REASONS = 'email: the same address (case and spaces ignored); phone: the same number (E.164, extension ignored); name: the same name once case, accents, punctuation, '
  + 'word order (people) and legal forms such as GmbH, Inc. or Ltd (companies) are ignored; similarName: names a typo or two apart'

/** `names`: the schema name of each entity's record (openApiDocument's). */
export function duplicatePaths(entities: readonly EntityDef[], names: ReadonlyMap<string, string>): Record<string, Json> {
  const paths: Record<string, Json> = {}
  for (const entity of entities.filter((e) => offersDuplicates(e.key))) {
    const tag = entity.label
    const one = entity.singular.toLowerCase()
    paths[`/${entity.key}/duplicates`] = {
      get: {
        operationId: `duplicates_${entity.key}`,
        tags: [tag],
        summary: `Groups of ${entity.label.toLowerCase()} that are likely the same ${one}, with why`,
        description: `Live records only; pairs a member marked as "not duplicates" are left out. Records tied through others form one group. ${REASONS}. Largest groups first.`,
        parameters: [
          { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: DUPLICATES_MAX_LIMIT, default: DUPLICATES_DEFAULT_LIMIT }, description: 'Groups per page' },
          { name: 'cursor', in: 'query', required: false, schema: { type: 'string' }, description: 'next_cursor of the page before' },
        ],
        responses: {
          200: {
            description: 'One page of groups',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['data', 'total', 'next_cursor'],
                  properties: {
                    data: {
                      type: 'array',
                      items: {
                        type: 'object',
                        required: ['ids', 'reasons', 'records'],
                        properties: {
                          ids: { type: 'array', items: { type: 'string' }, description: 'Oldest record first' },
                          reasons: { type: 'array', items: { enum: [...DUPLICATE_REASONS] } },
                          records: { type: 'array', items: { type: 'object', required: ['id', 'name'], properties: { id: { type: 'string' }, name: { type: 'string' } } } },
                        },
                      },
                    },
                    total: { type: 'integer', minimum: 0, description: 'Groups in all pages' },
                    next_cursor: { type: ['string', 'null'] },
                  },
                },
              },
            },
          },
          ...problems('400', '401', '404', '429'),
        },
      },
    }
    paths[`/${entity.key}/merge`] = {
      post: {
        operationId: `merge_${entity.key}`,
        tags: [tag],
        summary: `Merge duplicate ${entity.label.toLowerCase()} into one (editors and admins)`,
        description: `The survivor takes \`values\` (field API keys, checked like a PATCH; fields left out keep the survivor's value). Every link to an other ${one} in any list `
          + '(single and multiple links, deals, activities, leads, custom link fields, records in the trash too) then names the survivor; the others go to the trash with a note of the merge '
          + '(`merged@<id>` in the record), and the survivor\'s GET …/history includes their history (entries with `record`). Nothing is written when any part is refused. '
          + 'In the app one undo takes the whole merge back. Idempotency-Key is honoured.',
        parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 } }],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['survivor', 'others'],
                additionalProperties: false,
                properties: {
                  survivor: { type: 'string', description: `The ${one} that stays` },
                  others: { type: 'array', minItems: 1, items: { type: 'string' }, description: `The ${entity.label.toLowerCase()} merged into it` },
                  values: { type: 'object', description: 'Field API key → the value the survivor keeps', additionalProperties: true },
                },
              },
            },
          },
        },
        responses: {
          200: {
            description: 'Merged',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['survivor', 'merged', 'moved'],
                  properties: {
                    survivor: ref(names.get(entity.id) ?? entity.key),
                    merged: { type: 'array', items: { type: 'string' }, description: 'The ids now in the trash' },
                    moved: { type: 'object', additionalProperties: { type: 'integer' }, description: 'Entity key → records whose links now name the survivor' },
                  },
                },
              },
            },
          },
          ...problems('401', '403', '404', '422', '429'),
        },
      },
    }
  }
  return paths
}
