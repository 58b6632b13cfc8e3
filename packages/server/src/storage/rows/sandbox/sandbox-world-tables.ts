// Which tables hold an app's sandbox world, by noun: the world reset and a room's removal clear them on either engine.
/** A room's own rows (app_id, room_id in each key): removing the room clears them all. */
export const ROOM_TABLES = ['sandbox_rooms', 'sandbox_room_members', 'sandbox_saved_rooms', 'sandbox_room_invites', 'sandbox_room_top_msgs'] as const;

/** Every table of an app's world other than its people (app_id in each key); the reset empties these, then the people. */
export const WORLD_TABLES = [
  'sandbox_contacts', 'sandbox_stranger_tickets', 'sandbox_friend_requests', 'sandbox_login_sessions',
  'sandbox_messages', 'sandbox_read_marks', 'sandbox_emojis', 'sandbox_send_restrictions', 'sandbox_offline_marks',
  ...ROOM_TABLES,
  'sandbox_labels', 'sandbox_contact_labels',
  'sandbox_moments', 'sandbox_moment_comments',
  'sandbox_device_logins',
  'sandbox_thirdparty_apps', 'sandbox_thirdparty_codes', 'sandbox_wxa_short_links',
  'sandbox_corporations', 'sandbox_wecom_profiles', 'sandbox_openim_mutes', 'sandbox_openim_rooms', 'sandbox_openim_room_members',
] as const;
