// Why sample messages failed, in Sakari's codes.
import type { ErrorDetail } from '../../types.js';

/** A contact who asked for no more messages: on the contact, and on a message sent anyway. */
export const OPTED_OUT: ErrorDetail = {
  code: 'CONT-010',
  description: 'Contact has requested no further communication',
};

export const DELIVERY_ERRORS: readonly ErrorDetail[] = [
  { code: 'MSG-019', description: 'Message could not be delivered by the carrier' },
  { code: 'MSG-020', description: 'Destination number is a landline' },
  { code: 'MSG-008', description: 'Message was marked as spam by the carrier' },
  OPTED_OUT,
  { code: 'MSG-029', description: 'Daily message limit exceeded' },
  { code: 'INT-002', description: 'Provider is not enabled for the destination country' },
];
