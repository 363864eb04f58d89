/** The German catalogue: formal address (Sie), as a clinic writes to its patients. */
import type { Messages } from './en.ts';

export const de: Messages = {
  formatLocale: 'de-DE',
  common: {
    greeting: (name) => `Guten Tag ${name},`,
    sentBy: (organization) => `Gesendet von ${organization}.`,
    sentBySystem: 'Gesendet vom Terminsystem.',
  },
  appointment: {
    subject: {
      confirmation: ({ what, date, time }) => `Bestätigt: ${what} am ${date} um ${time}`,
      reschedule: ({ what, date, time }) => `Verschoben: ${what} jetzt am ${date} um ${time}`,
      cancellation: ({ what, date, time }) => `Abgesagt: ${what} am ${date} um ${time}`,
      reminder: ({ what, date, time }) => `Erinnerung: ${what} am ${date} um ${time}`,
    },
    subjectWithOrganization: {
      confirmation: ({ organization, date, time }) => `Ihr Termin bei ${organization} ist bestätigt: ${date} um ${time}`,
      reschedule: ({ organization, date, time }) => `Ihr Termin bei ${organization} wurde auf ${date} um ${time} verschoben`,
      cancellation: ({ organization, date, time }) => `Ihr Termin bei ${organization} am ${date} um ${time} wurde abgesagt`,
      reminder: ({ organization, date, time }) => `Erinnerung: Ihr Termin bei ${organization} am ${date} um ${time}`,
    },
    what: {
      appointment: (counterpart) => `Termin mit ${counterpart}`,
      service: (service, counterpart) => `${service} mit ${counterpart}`,
    },
    headline: {
      confirmation: 'Ihr Termin ist gebucht.',
      reschedule: 'Ihr Termin wurde auf eine neue Zeit verschoben.',
      cancellation: 'Ihr Termin wurde abgesagt.',
      reminder: 'Eine Erinnerung an Ihren bevorstehenden Termin.',
    },
    labels: {
      service: 'Leistung',
      when: 'Wann',
      newTime: 'Neue Zeit',
      previously: 'Bisher',
      wasBookedFor: 'Gebucht war',
      cancelledBy: 'Abgesagt von',
      reason: 'Grund',
      with: 'Mit',
      where: 'Wo',
      notes: 'Notizen',
    },
    cancelledByYou: 'Ihnen',
    cancelledByApiKey: (name) => `${name} (API-Schlüssel)`,
    calendarHint: 'Die angehängte Kalenderdatei hält Ihren Kalender auf dem neuesten Stand.',
    manageLink: { manage: 'Termin verwalten', view: 'Termin ansehen' },
  },
  account: {
    password_reset: {
      subject: 'Passwort zurücksetzen',
      headline: 'Jemand möchte ein neues Passwort für Ihr Konto festlegen.',
      action: 'Neues Passwort wählen',
      ignore: 'Falls Sie das nicht waren, ignorieren Sie diese E-Mail: Ihr Passwort bleibt unverändert.',
    },
    verify_email: {
      subject: 'E-Mail-Adresse bestätigen',
      headline: 'Bitte bestätigen Sie, dass diese Adresse Ihnen gehört.',
      action: 'E-Mail-Adresse bestätigen',
      ignore: 'Falls Sie sich nicht registriert haben, ignorieren Sie diese E-Mail.',
    },
    validity: (minutes) => (minutes % 60 === 0 ? `Der Link funktioniert einmal, ${minutes / 60} Stunde${minutes === 60 ? '' : 'n'} lang.` : `Der Link funktioniert einmal, ${minutes} Minuten lang.`),
  },
};
