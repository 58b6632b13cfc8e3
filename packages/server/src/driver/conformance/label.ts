// Conformance: contact labels — unique names, ids that count up and are never reused, renaming, putting labels on
// contacts (labelIdList in get_contact, 1200 + 1039), the local-store queries, deletion; refusals change nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call, eventsSince, expectError, logIn, notifyTypes, wechatRet, type ConformanceInstance, type Make, withSubject } from './subject.ts';

const labelsOf = async (i: ConformanceInstance, wxid: string) =>
  (await call(i.session, '/contact/get_contact', { username_list: [wxid] })).contactList[0]!.labelIdList;
const labelList = async (i: ConformanceInstance) =>
  (await call(i.session, '/label/get_contact_label_list', {})).labelPairList.map((l) => [l.labelId, l.labelName]);

export function labelConformance(make: Make): void {
  test('labels: unique names, ids from 1 never reused, renaming, and what each contact carries', () => withSubject(make, async (s) => {
    const a = await s.newInstance();
    const me = await logIn(s, a);
    const [f1, f2, f3] = await Promise.all([0, 1, 2].map(async (i) => (await s.phone.createPerson({ nickname: `朋友${i}`, friends: [me] })).wxid));
    const stranger = (await s.phone.createPerson({ nickname: 'Stranger' })).wxid;
    assert.deepEqual(await labelList(a), []);

    const family = await call(a.session, '/label/add_contact_label', { label_name: '家人' });
    assert.deepEqual([family.labelCount, family.labelPairList[0]!.labelId, family.labelPairList[0]!.labelName], [1, 1, '家人']);
    assert.equal((await call(a.session, '/label/add_contact_label', { label_name: '同事' })).labelPairList[0]!.labelId, 2);
    assert.equal(wechatRet(await expectError(call(a.session, '/label/add_contact_label', { label_name: '家人' }), 'LABEL_NAME_TAKEN')), -2);
    await expectError(call(a.session, '/label/add_contact_label', { label_name: '  ' }), 'VALIDATION');
    await call(a.session, '/label/update_contact_label', { label_id: 2, label_name: '前同事' });
    await expectError(call(a.session, '/label/update_contact_label', { label_id: 2, label_name: '家人' }), 'LABEL_NAME_TAKEN');
    await expectError(call(a.session, '/label/update_contact_label', { label_id: 99, label_name: 'x' }), 'LABEL_NOT_FOUND');
    assert.deepEqual(await labelList(a), [[1, '家人'], [2, '前同事']]);

    // A refusal (a stranger, an unknown label) leaves every contact as it was and raises nothing.
    const mark = s.events(a.guid).length;
    await expectError(call(a.session, '/label/modify_contact_label_list', { username_list: [f1!, stranger], label_id_list: [1] }), 'NOT_IN_CONTACTS');
    await expectError(call(a.session, '/label/modify_contact_label_list', { username_list: [f1!], label_id_list: [1, 7] }), 'LABEL_NOT_FOUND');
    assert.equal(await labelsOf(a, f1!), '');
    assert.equal(s.events(a.guid).length, mark);

    await call(a.session, '/label/modify_contact_label_list', { username_list: [f1!, f2!], label_id_list: [2, 1] });
    assert.deepEqual(notifyTypes(eventsSince(s, a.guid, mark)), [1200, 1039, 1200, 1039]);
    assert.equal((eventsSince(s, a.guid, mark)[0]!.data as { labelIdList: string }).labelIdList, '1,2');
    assert.deepEqual([await labelsOf(a, f1!), await labelsOf(a, f2!), await labelsOf(a, f3!)], ['1,2', '1,2', '']);
    await call(a.session, '/label/modify_contact_label_list', { username_list: [f1!], label_id_list: [] });
    assert.equal(await labelsOf(a, f1!), '', 'an empty list takes every label off');

    const rows = await call(a.session, '/label/get_contacts', { label_id_list: [2] });
    assert.deepEqual(rows.map((r) => [r.username, r.label_id_list]), [[f2, [1, 2]]]);
    assert.deepEqual(await call(a.session, '/label/get_label_usage_amount', { label_id_list: [1, 2, 9] }), [
      { label_id: 1, count: 1 }, { label_id: 2, count: 1 }, { label_id: 9, count: 0 },
    ]);

    // Deleting a label takes it off its contacts; the next label gets a new id, not the deleted one's.
    await call(a.session, '/label/del_contact_label', { label_id: 1 });
    await expectError(call(a.session, '/label/del_contact_label', { label_id: 1 }), 'LABEL_NOT_FOUND');
    assert.equal(await labelsOf(a, f2!), '2');
    assert.equal((await call(a.session, '/label/add_contact_label', { label_name: '家人' })).labelPairList[0]!.labelId, 3);
    // Deleting the friend drops the labels on them, as WeChat does.
    await call(a.session, '/contact/del_friend', { username: f2! });
    assert.deepEqual(await call(a.session, '/label/get_label_usage_amount', { label_id_list: [] }), [{ label_id: 2, count: 0 }, { label_id: 3, count: 0 }]);
  }));
}
