/**
 * A condition tree (all / any / not groups of comparisons) edited with react-querybuilder.
 * The rule group is the designer state itself (model.ts maps it to and from the JSON).
 */
import { useCallback, useMemo, useRef } from 'react';
import { QueryBuilder, type RuleGroupType, type RuleType, type Translations } from 'react-querybuilder';
import type { AttributeType } from '../api/types';
import type { Operator } from '../../../src/definition/ast.js';
import { defaultValue, incompleteRuleIds, isGroup, valueForOperator, type ConditionGroup, type ComparisonValue } from './model';
import { useIssues, FieldErrors } from './issues';
import { ConditionValueEditor, type ConditionContext } from './ValueEditor';
import { operatorsFor, type AttributeGroup } from './vocabulary';

const COMBINATORS = [
  { name: 'and', value: 'and', label: 'all of' },
  { name: 'or', value: 'or', label: 'any of' },
];

const TRANSLATIONS: Partial<Translations> = {
  fields: { title: 'Attribute' },
  operators: { title: 'Operator' },
  combinators: { title: 'Match' },
  addRule: { label: '+ Condition', title: 'Add a condition' },
  addGroup: { label: '+ Group', title: 'Add a nested group of conditions' },
  removeRule: { label: '×', title: 'Remove condition' },
  removeGroup: { label: '×', title: 'Remove group' },
  notToggle: { label: 'Not', title: 'Negate this group (none of it holds)' },
};

/**
 * Less than / greater than / between on text compare code points ("Zoe" < "adam", "10" < "9"),
 * which is not what a marketer means: they are not offered for text attributes, unless a rule on
 * that attribute already uses one (a definition saved through the API shows as it is).
 */
const TEXT_ORDERING: ReadonlySet<Operator> = new Set<Operator>(['lt', 'lte', 'gt', 'gte', 'between']);

function walkRules(g: RuleGroupType, out: Map<string, RuleType>, groups: Set<string>): void {
  if (g.id) groups.add(g.id);
  for (const r of g.rules) {
    if (typeof r === 'string') continue;
    if (isGroup(r)) walkRules(r, out, groups);
    else if (r.id) out.set(r.id, r);
  }
}

/** After an edit, a rule whose operator changed keeps its value if it still fits, else gets one that does. */
function conformValues(next: RuleGroupType, prevRules: Map<string, RuleType>, typeOf: (f: string) => AttributeType): RuleGroupType {
  return {
    ...next,
    rules: next.rules.map((r) => {
      if (typeof r === 'string') return r;
      if (isGroup(r)) return conformValues(r, prevRules, typeOf);
      const prev = r.id ? prevRules.get(r.id) : undefined;
      if (!prev || prev.operator === r.operator || prev.field !== r.field) return r;
      const value = valueForOperator(prev.value as ComparisonValue, r.operator as Operator, typeOf(r.field));
      return { ...r, value };
    }),
  };
}

export interface ConditionEditorProps {
  group: ConditionGroup;
  onChange: (g: ConditionGroup) => void;
  attributes: AttributeGroup[];
  /** Set for a behavioral block's property filter. */
  interaction?: string;
  blockKey: string;
}

export function ConditionEditor({ group, onChange, attributes, interaction, blockKey }: ConditionEditorProps) {
  const issues = useIssues();
  const byName = useMemo(() => new Map(attributes.flatMap((g) => g.options).map((o) => [o.name, o])), [attributes]);
  const typeOf = useCallback((f: string): AttributeType => byName.get(f)?.type ?? 'string', [byName]);
  const fields = useMemo(
    () => attributes.map((g) => ({ label: g.label, options: g.options.map((o) => ({ name: o.name, value: o.name, label: o.label })) })),
    [attributes],
  );
  const { ruleIds, groupIds } = useMemo(() => {
    const rules = new Map<string, RuleType>();
    const groups = new Set<string>();
    walkRules(group, rules, groups);
    return { ruleIds: rules, groupIds: groups };
  }, [group]);
  const mine = issues.filter((i) => i.target.kind === 'rule' && i.target.key === blockKey);
  const orderedText = new Set([...ruleIds.values()].filter((r) => TEXT_ORDERING.has(r.operator as Operator)).map((r) => r.field));
  const operatorsOf = (f: string) => {
    const type = typeOf(f);
    return operatorsFor(type).filter((o) => type !== 'string' || !TEXT_ORDERING.has(o.name) || orderedText.has(f));
  };
  const incomplete = useMemo(() => incompleteRuleIds(group), [group]);
  const incompleteKey = [...incomplete].join(',');
  const context = useMemo<ConditionContext>(
    () => ({
      typeOf,
      labelOf: (f) => byName.get(f)?.label ?? f,
      ...(interaction !== undefined ? { interaction } : {}),
      messagesFor: (id) => mine.filter((i) => i.target.kind === 'rule' && i.target.id === id).map((i) => i.message),
      isIncomplete: (id) => incomplete.has(id),
    }),
    // `mine` and `incomplete` change identity every edit; their content is what matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [typeOf, byName, interaction, JSON.stringify(mine), incompleteKey],
  );
  // Issues on a group (e.g. an empty one) or naming a rule the editor no longer has go under the tree.
  const groupMessages = mine.filter((i) => i.target.kind === 'rule' && (groupIds.has(i.target.id) || !ruleIds.has(i.target.id))).map((i) => i.message);

  const latest = useRef(group);
  latest.current = group;
  const handleChange = useCallback(
    (q: RuleGroupType) => {
      const prev = new Map<string, RuleType>();
      walkRules(latest.current, prev, new Set());
      onChange(conformValues(q, prev, typeOf) as ConditionGroup);
    },
    [onChange, typeOf],
  );

  return (
    <div className="condition-editor">
      <QueryBuilder
        query={group}
        onQueryChange={handleChange}
        fields={fields}
        combinators={COMBINATORS}
        getOperators={operatorsOf}
        getDefaultOperator={(f) => operatorsOf(f)[0]?.name ?? 'eq'}
        getDefaultValue={(rule) => defaultValue(rule.operator as Operator, typeOf(rule.field))}
        controlElements={{ valueEditor: ConditionValueEditor }}
        translations={TRANSLATIONS}
        context={context}
        showNotToggle
        resetOnOperatorChange={false}
        resetOnFieldChange
        addRuleToNewGroups
      />
      <FieldErrors messages={groupMessages} />
    </div>
  );
}
