"""The signed-in user's own page: password, sign-in sessions."""
