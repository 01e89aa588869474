import { describe, expect, test } from 'vitest'
import { ACTIVITY_TYPES, defaultSchema } from './defaultSchema'
import { FIELD_TYPES, fieldByKey, findEntity, liveFields } from './schema'

// The keys the product brief promises for each built-in entity (the public API depends on them).
const BRIEF: Record<string, string[]> = {
  companies: ['name', 'phone', 'email', 'website', 'address', 'industry', 'owner'],
  contacts: ['first_name', 'last_name', 'email', 'phone', 'company', 'position', 'owner'],
  leads: ['title', 'name', 'company_name', 'email', 'phone', 'source', 'status', 'owner', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'referrer', 'converted_contact', 'converted_company', 'converted_deal'],
  deals: ['title', 'company', 'contacts', 'pipeline', 'stage', 'amount', 'currency', 'close_date', 'probability', 'owner', 'source'],
  products: ['name', 'sku', 'price', 'currency', 'unit', 'tax_rate', 'active', 'stock'],
  deal_lines: ['deal', 'product', 'name', 'quantity', 'unit', 'unit_price', 'discount_pct', 'tax_pct', 'tax_included'],
  activities: ['type', 'subject', 'due', 'done', 'owner', 'related', 'notes', 'related_company', 'related_lead', 'direction', 'phone', 'duration_s', 'outcome', 'recording_url', 'related_deal'],
}

describe('defaultSchema', () => {
  const schema = defaultSchema()

  test('has every entity and key the brief lists', () => {
    expect(schema.entities.map((e) => e.key).sort()).toEqual(Object.keys(BRIEF).sort())
    for (const [entityKey, keys] of Object.entries(BRIEF)) {
      const entity = findEntity(schema, entityKey)
      expect(entity, entityKey).toBeDefined()
      for (const key of keys) expect(entity && fieldByKey(entity, key), `${entityKey}.${key}`).toBeDefined()
    }
  })

  test('entity ids and keys are unique; field ids are unique across the workspace, keys within an entity', () => {
    const entityIds = schema.entities.map((e) => e.id)
    const entityKeys = schema.entities.map((e) => e.key)
    expect(new Set(entityIds).size).toBe(entityIds.length)
    expect(new Set(entityKeys).size).toBe(entityKeys.length)
    const fieldIds = schema.entities.flatMap((e) => e.fields.map((f) => f.id))
    expect(new Set(fieldIds).size).toBe(fieldIds.length)
    for (const entity of schema.entities) {
      const keys = entity.fields.map((f) => f.key)
      expect(new Set(keys).size, entity.key).toBe(keys.length)
      const orders = entity.fields.map((f) => f.order)
      expect(new Set(orders).size, entity.key).toBe(orders.length)
    }
  })

  test('keys are snake_case, types known, primary fields exist', () => {
    for (const entity of schema.entities) {
      expect(liveFields(entity).map((f) => f.id)).toContain(entity.primaryField)
      for (const f of entity.fields) {
        expect(f.key).toMatch(/^[a-z][a-z0-9_]*$/)
        expect(FIELD_TYPES).toContain(f.type)
        expect(f.label.trim()).not.toBe('')
      }
    }
  })

  test('field types the rest of the app relies on', () => {
    const type = (entity: string, key: string) => {
      const e = findEntity(schema, entity)
      return e && fieldByKey(e, key)
    }
    expect(type('contacts', 'company')).toMatchObject({ type: 'link', linkEntity: 'companies' })
    expect(type('deals', 'company')).toMatchObject({ type: 'link', linkEntity: 'companies' })
    expect(type('deals', 'contacts')).toMatchObject({ type: 'link', linkEntity: 'contacts', multiple: true })
    expect(type('activities', 'related')).toMatchObject({ type: 'link' })
    expect(type('deals', 'amount')).toMatchObject({ type: 'money' })
    expect(type('products', 'price')).toMatchObject({ type: 'money' })
    expect(type('deals', 'close_date')).toMatchObject({ type: 'date' })
    expect(type('activities', 'due')).toMatchObject({ type: 'dateTime' })
    expect(type('activities', 'done')).toMatchObject({ type: 'checkbox' })
    expect(type('products', 'active')).toMatchObject({ type: 'checkbox' })
    expect(type('companies', 'website')).toMatchObject({ type: 'url' })
    expect(type('companies', 'address')).toMatchObject({ type: 'longText' })
    expect(type('deal_lines', 'deal')).toMatchObject({ type: 'link', linkEntity: 'deals' })
    expect(type('deal_lines', 'product')).toMatchObject({ type: 'link', linkEntity: 'products' })
    expect(type('deal_lines', 'unit_price')).toMatchObject({ type: 'money' })
    expect(type('deal_lines', 'discount_pct')).toMatchObject({ type: 'number', min: 0, max: 100 })
    expect(type('deal_lines', 'tax_included')).toMatchObject({ type: 'checkbox' })
    expect(type('products', 'stock')).toMatchObject({ type: 'number' })
    for (const entity of ['companies', 'contacts', 'leads', 'deals', 'activities']) {
      expect(type(entity, 'owner'), entity).toMatchObject({ type: 'member' })
    }
  })

  test('activity types are call, meeting, task, note and email', () => {
    expect(ACTIVITY_TYPES).toEqual(['call', 'meeting', 'task', 'note', 'email'])
    const activities = findEntity(schema, 'activities')
    expect(activities && fieldByKey(activities, 'type')).toMatchObject({ type: 'select', options: ['call', 'meeting', 'task', 'note', 'email'] })
  })

  test('links point at entities that exist; selects have options', () => {
    for (const entity of schema.entities) {
      for (const f of entity.fields) {
        if (f.type === 'link') expect(findEntity(schema, f.linkEntity ?? ''), `${entity.key}.${f.key}`).toBeDefined()
        if (f.type === 'select' || f.type === 'multiSelect') expect(f.options?.length, `${entity.key}.${f.key}`).toBeGreaterThan(0)
      }
    }
  })

  test('every call returns a fresh, identical schema', () => {
    const a = defaultSchema()
    const b = defaultSchema()
    expect(a).toEqual(b)
    expect(a).not.toBe(b)
  })
})
