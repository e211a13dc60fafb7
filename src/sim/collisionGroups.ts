/**
 * Rapier interaction groups: 16 membership bits, then 16 filter bits. The gripper's own parts
 * never touch each other (the fingers slide through the palm's box and past each other); every
 * other pair collides.
 */
const GRIPPER = 0x0001;
const OBJECT = 0x0002;
const STATIC = 0x0004;

const groups = (member: number, filter: number) => (member << 16) | filter;

export const COLLISION_GROUPS = {
  gripper: groups(GRIPPER, OBJECT | STATIC),
  object: groups(OBJECT, GRIPPER | OBJECT | STATIC),
  static: groups(STATIC, GRIPPER | OBJECT),
  /** Ray casts about the scene that look through the gripper. */
  sceneQuery: groups(GRIPPER | OBJECT | STATIC, OBJECT | STATIC),
} as const;
