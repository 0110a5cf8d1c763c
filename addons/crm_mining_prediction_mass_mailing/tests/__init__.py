from . import test_mailing_contacts
