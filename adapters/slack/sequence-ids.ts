/**
 * Action and callback IDs of the lead card's step sequences and tags. Button and select values
 * carry "<leadId>|<enrolment id, sequence id or tag>" (joinValue); nothing in them is trusted.
 */
export const SEQUENCE_ACTION = {
  pause: 'sequence_pause',
  resume: 'sequence_resume',
  stop: 'sequence_stop',
  enrol: 'sequence_enrol',
  addTag: 'lead_tag_add',
  removeTag: 'lead_tag_remove',
} as const;

export const SEQUENCE_CALLBACK = {
  addTag: 'lead_tag_modal',
} as const;

/** The actions block of one live enrolment, and the one with the lead's enrol and tag controls. */
export const enrolmentBlockId = (enrolmentId: string) => `sequence:${enrolmentId}`;
export const sequenceControlsBlockId = (leadId: string) => `sequences:${leadId}`;
