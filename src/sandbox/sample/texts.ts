// What the sample messages say, by language. Outbound texts are templates: single-brace words
// are filled per message by the generator (so stored templates vary like real one-off sends),
// triple-brace ones are Sakari placeholders. Long ones need several segments; accents, kana and
// emoji force UCS-2.

export const OUTBOUND: Readonly<Record<string, readonly string[]>> = {
  en: [
    'Hi {{{contact.firstName}}}, your table for {party} is booked for {time} tonight.',
    'Hi {{{contact.firstName}}}, order #{order} has shipped and should arrive {day}.',
    'Reminder: your appointment is {day} at {time}. Reply C to confirm or R to reschedule.',
    'Your verification code is {code}. It expires in 10 minutes.',
    'Thanks for visiting, {{{contact.firstName}}}! How did we do? Reply with a score from 1 to 5.',
    'Weekend special: 2-for-1 pasta Fri-Sun. Show this text at the counter. Reply STOP to opt out.',
    'Happy birthday {{{contact.firstName}}}! 🎂🎉 Enjoy 20% off all week with code BDAY{code}.',
    'Your order is on its way 🚚💨 Track it here: https://track.example.com/{order} 📦',
    'Hi {{{contact.firstName}}}, this is a reminder from Harbor Dental about your cleaning on {day} at {time}. Please arrive 10 minutes early to update your paperwork, and bring your insurance card and a photo ID. If you need to reschedule, reply R or call us at +1 415 555 0100. Reply C to confirm.',
    'Important update for our members: from next month the studio opens at 6:00 am on weekdays and 8:00 am on weekends. Classes booked through the app are moved automatically and you will get a confirmation email for each one. Lockers must be emptied every evening; anything left overnight goes to lost property at the front desk. Questions? Reply to this message and a member of the team will get back to you within one business day.',
  ],
  es: [
    'Hola {{{contact.firstName}}}, ¿confirmas tu cita del {dia} a las {time24}? Responde SÍ o NO.',
    'Hola {{{contact.firstName}}}: tu pedido n.º {order} salió de nuestro almacén y llegará el {dia} entre las 9:00 y las 14:00. Si no vas a estar en casa, responde con otra fecha o con la dirección de un vecino. ¡Gracias por tu compra!',
  ],
  fr: [
    'Bonjour {{{contact.firstName}}}, votre commande n°{order} est prête. À bientôt ! 🛍️',
    'Bonjour {{{contact.firstName}}}, rappel : votre rendez-vous est prévu {jour} à {time24}. Répondez C pour confirmer.',
  ],
  de: [
    'Hallo {{{contact.firstName}}}, Ihre Bestellung {order} ist unterwegs und kommt am {tag}. Schöne Grüße!',
  ],
  pt: [
    'Olá {{{contact.firstName}}}! Seu pedido {order} foi enviado e chega na {dia_pt}. Obrigado pela preferência!',
  ],
  ja: [
    '{{{contact.lastName}}}様、ご予約ありがとうございます。{youbi}の{time24}にお待ちしております。',
    '{{{contact.lastName}}}様、いつもご利用いただきありがとうございます。ご注文の商品（注文番号{order}）は{youbi}にお届け予定です。お届け日時の変更をご希望の場合は、このメッセージにご返信ください。',
  ],
};

export const INBOUND: Readonly<Record<string, readonly string[]>> = {
  en: [
    'Yes',
    'C',
    'Confirmed, thanks!',
    'Can we make it {time} instead?',
    'STOP',
    'Running 10 min late, sorry!',
    '5',
    'Where is my order? It was supposed to arrive yesterday.',
    'Here is the photo of the damaged box 📷',
    'Hi, I ordered the blue one in size M but received a green one in size L. I have attached a photo of the label. Could you please send the right one and tell me how to return this one? I will be away from Friday until the following Tuesday so please do not deliver in that window. Thanks a lot.',
  ],
  es: ['Sí, confirmo. ¡Gracias!', '¿Podemos cambiarla al {dia}?'],
  fr: ['Merci beaucoup ! À bientôt 😊', 'Oui, c’est confirmé.'],
  de: ['Danke, bis {tag}!', 'Ja, passt.'],
  pt: ['Obrigado! 👍', 'Pode ser na {dia_pt}?'],
  ja: ['ありがとうございます！よろしくお願いします。', '了解しました。'],
};

/**
 * Words drawn for the `{word}` placeholders of the texts; the generator makes up the others
 * (`{party}` sizes, `{time24}` times, `{order}` numbers and `{code}`s).
 */
export const WORDS: Readonly<Record<string, readonly string[]>> = {
  time: ['9:00 am', '10:30 am', '12:15 pm', '2:00 pm', '4:45 pm', '6:30 pm', '7:30 pm'],
  day: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
  dia: ['lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado'],
  dia_pt: ['segunda-feira', 'terça-feira', 'quarta-feira', 'quinta-feira', 'sexta-feira'],
  jour: ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'],
  tag: ['Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag'],
  youbi: ['月曜日', '火曜日', '水曜日', '木曜日', '金曜日', '土曜日'],
};
