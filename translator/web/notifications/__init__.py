"""The notifications page and the notification settings of the account page."""
