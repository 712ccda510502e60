"""Notifications service: statutory notifications to Ofsted, DfE, the National Panel and others."""
