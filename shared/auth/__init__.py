"""Identity and access: boards, agencies, users and roles; sign-in; tokens; the access rules."""
