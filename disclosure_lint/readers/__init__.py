"""Readers that render web pages and Word documents into the tab-separated text the parser reads."""
