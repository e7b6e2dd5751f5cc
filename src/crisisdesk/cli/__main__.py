"""``python -m crisisdesk.cli`` runs the command line."""

from crisisdesk.cli import main

main()
