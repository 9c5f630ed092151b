// The files sample MMS messages carry; each message's URL is made from its id.
import type { Media } from '../../types.js';

export const MEDIA: readonly Omit<Media, 'url'>[] = [
  { type: 'image/jpeg', name: 'Photo', filename: 'IMG_4821.jpg' },
  { type: 'image/png', name: 'Screenshot', filename: 'screenshot.png' },
  { type: 'image/gif', name: 'Animation', filename: 'thanks.gif' },
  { type: 'image/jpeg', name: 'Saturday menu', filename: 'menu.jpg' },
];
