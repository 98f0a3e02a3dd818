from lecto.cli.app import main

main()
