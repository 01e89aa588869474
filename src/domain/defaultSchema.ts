import { CALL_DIRECTIONS, CALL_OUTCOMES } from './calls/parseCallBody'
import type { EntityDef, FieldDef, FieldType, WorkspaceSchema } from './schema'

/**
 * The workspace every new relay starts with. Ids are fixed (`<entity>.<key>`) so the schema is
 * identical wherever it is created; custom fields added later get random ids.
 */
type FieldSpec = [key: string, label: string, type: FieldType, extra?: Partial<FieldDef>]

function entity(id: string, label: string, singular: string, order: number, primary: string, specs: FieldSpec[]): EntityDef {
  const fields = specs.map(([key, fieldLabel, type, extra], i): FieldDef => ({
    id: `${id}.${key}`, key, label: fieldLabel, type, order: i, ...extra,
  }))
  return { id, key: id, label, singular, order, primaryField: `${id}.${primary}`, fields }
}

export const ACTIVITY_TYPES = ['call', 'meeting', 'task', 'note', 'email']
/**
 * How a call went: `connected` first for calls logged by hand (issue 16: My work asks it), then
 * what a phone system posts (the calls webhook's own list, unchanged).
 */
export const ACTIVITY_OUTCOMES = ['connected', ...CALL_OUTCOMES]
/** Options added to a default field after workspaces were made with it: added where the options are still exactly `before`. */
export const ADDED_DEFAULT_OPTIONS: readonly { field: string; before: readonly string[]; after: readonly string[] }[] = [
  { field: 'activities.outcome', before: CALL_OUTCOMES, after: ACTIVITY_OUTCOMES },
]
export const LEAD_STATUSES = ['New', 'Contacted', 'Qualified', 'Unqualified', 'Converted']
export const LEAD_SOURCES = ['Website', 'Phone', 'Email', 'Referral', 'Event', 'Advertising', 'Other']
export const DEAL_STAGES = ['New', 'Qualified', 'Proposal', 'Negotiation', 'Contract', 'Won', 'Lost']

export function defaultSchema(): WorkspaceSchema {
  return {
    entities: [
      entity('leads', 'Leads', 'Lead', 0, 'title', [
        ['title', 'Title', 'text'],
        ['name', 'Name', 'text'],
        ['company_name', 'Company', 'text'],
        ['email', 'Email', 'email'],
        ['phone', 'Phone', 'phone'],
        ['source', 'Source', 'select', { options: LEAD_SOURCES }],
        ['status', 'Status', 'select', { options: LEAD_STATUSES }],
        ['owner', 'Owner', 'member'],
        // where a web form's lead came from (issue 13): the page's UTM parameters and the referring page
        ['utm_source', 'UTM source', 'text'],
        ['utm_medium', 'UTM medium', 'text'],
        ['utm_campaign', 'UTM campaign', 'text'],
        ['utm_term', 'UTM term', 'text'],
        ['utm_content', 'UTM content', 'text'],
        ['referrer', 'Referring page', 'url'],
        // what a converted lead became (issue 14): set with status Converted, answered by the API as converted_to
        ['converted_contact', 'Converted to contact', 'link', { linkEntity: 'contacts' }],
        ['converted_company', 'Converted to company', 'link', { linkEntity: 'companies' }],
        ['converted_deal', 'Converted to deal', 'link', { linkEntity: 'deals' }],
      ]),
      entity('contacts', 'Contacts', 'Contact', 1, 'last_name', [
        ['first_name', 'First name', 'text'],
        ['last_name', 'Last name', 'text'],
        ['email', 'Email', 'email'],
        ['phone', 'Phone', 'phone'],
        ['company', 'Company', 'link', { linkEntity: 'companies' }],
        ['position', 'Position', 'text'],
        ['owner', 'Owner', 'member'],
      ]),
      entity('companies', 'Companies', 'Company', 2, 'name', [
        ['name', 'Name', 'text'],
        ['phone', 'Phone', 'phone'],
        ['email', 'Email', 'email'],
        ['website', 'Website', 'url'],
        ['address', 'Address', 'longText'],
        ['industry', 'Industry', 'select', { options: ['Manufacturing', 'Retail', 'Services', 'Technology', 'Finance', 'Healthcare', 'Other'] }],
        ['owner', 'Owner', 'member'],
      ]),
      entity('deals', 'Deals', 'Deal', 3, 'title', [
        ['title', 'Title', 'text'],
        ['company', 'Company', 'link', { linkEntity: 'companies' }],
        ['contacts', 'Contacts', 'link', { linkEntity: 'contacts', multiple: true }],
        // ids of the schema's pipelines and stages (issue 14); the names stay as options for older clients
        ['pipeline', 'Pipeline', 'select', { options: ['Sales'], choicesFrom: 'pipelines' }],
        ['stage', 'Stage', 'select', { options: DEAL_STAGES, choicesFrom: 'stages' }],
        ['amount', 'Amount', 'money', { currency: 'EUR' }],
        ['currency', 'Currency', 'select', { options: ['EUR', 'USD', 'GBP', 'CHF', 'JPY'] }],
        ['close_date', 'Close date', 'date'],
        ['probability', 'Probability %', 'number', { min: 0, max: 100 }],
        ['owner', 'Owner', 'member'],
        ['source', 'Source', 'select', { options: LEAD_SOURCES }],
        // asked when a deal moves to a lost stage (issue 14)
        ['lost_reason', 'Lost reason', 'text'],
      ]),
      entity('products', 'Products', 'Product', 4, 'name', [
        ['name', 'Name', 'text'],
        ['sku', 'SKU', 'text'],
        ['price', 'Price', 'money', { currency: 'EUR' }],
        ['currency', 'Currency', 'select', { options: ['EUR', 'USD', 'GBP', 'CHF', 'JPY'] }],
        ['unit', 'Unit', 'select', { options: ['pcs', 'hour', 'day', 'month', 'kg', 'm'] }],
        ['tax_rate', 'Tax %', 'number'],
        ['active', 'Active', 'checkbox'],
        ['stock', 'Stock', 'number'],
      ]),
      entity('activities', 'Activities', 'Activity', 5, 'subject', [
        ['type', 'Type', 'select', { options: ACTIVITY_TYPES }],
        ['subject', 'Subject', 'text'],
        ['due', 'Due', 'dateTime'],
        ['done', 'Done', 'checkbox'],
        ['owner', 'Owner', 'member'],
        ['related', 'Related to', 'link', { linkEntity: 'contacts' }],
        ['notes', 'Notes', 'longText'],
        // calls posted by a phone system (issue 13): whom it linked to besides a contact, and the call itself
        ['related_company', 'Company', 'link', { linkEntity: 'companies' }],
        ['related_lead', 'Lead', 'link', { linkEntity: 'leads' }],
        ['direction', 'Direction', 'select', { options: [...CALL_DIRECTIONS] }],
        ['phone', 'Phone', 'phone'],
        ['duration_s', 'Duration (s)', 'number', { min: 0 }],
        ['outcome', 'Outcome', 'select', { options: [...ACTIVITY_OUTCOMES] }],
        ['recording_url', 'Recording', 'url'],
        // an activity on a deal (issue 15: a deal's record panel lists and creates them)
        ['related_deal', 'Deal', 'link', { linkEntity: 'deals' }],
        // when it was marked done (issue 16: My work's "recently done", the panel's timeline)
        ['done_at', 'Done at', 'dateTime'],
      ]),
      // a deal's lines are records of their own, so two people editing different lines both win (issue 14)
      entity('deal_lines', 'Deal lines', 'Deal line', 6, 'name', [
        ['deal', 'Deal', 'link', { linkEntity: 'deals' }],
        ['product', 'Product', 'link', { linkEntity: 'products' }],
        ['name', 'Name', 'text'],
        ['quantity', 'Quantity', 'number'],
        ['unit', 'Unit', 'text'],
        ['unit_price', 'Unit price', 'money', { currency: 'EUR' }],
        ['discount_pct', 'Discount %', 'number', { min: 0, max: 100 }],
        ['tax_pct', 'Tax %', 'number', { min: 0, max: 100 }],
        ['tax_included', 'Tax included', 'checkbox'],
      ]),
    ],
  }
}
