/**
 * Rapier interaction groups: 16 membership bits, then 16 filter bits. The gripper's own parts
 * never touch each other (the fingers slide through the palm's box and past each other); the
 * scripted pusher touches objects only, and only during its stroke; every other pair collides.
 */
const GRIPPER = 0x0001;
const OBJECT = 0x0002;
const STATIC = 0x0004;
const PUSHER = 0x0008;

const groups = (member: number, filter: number) => (member << 16) | filter;

export const COLLISION_GROUPS = {
  gripper: groups(GRIPPER, OBJECT | STATIC),
  object: groups(OBJECT, GRIPPER | OBJECT | STATIC | PUSHER),
  static: groups(STATIC, GRIPPER | OBJECT),
  /** The pusher while it strokes: it moves objects and passes through the bin and the hand. */
  pusherSolid: groups(PUSHER, OBJECT),
  /** The pusher coming in and leaving: seen by the cameras, touching nothing. */
  pusherGhost: groups(PUSHER, 0),
  /** Ray casts about the scene that look through the gripper. */
  sceneQuery: groups(GRIPPER | OBJECT | STATIC, OBJECT | STATIC),
} as const;
