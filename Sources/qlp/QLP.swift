import ArgumentParser

@main
struct QLP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qlp",
        abstract: "The QuantumLayer Platform operations console.",
        discussion: """
            A terminal dashboard for Azure spend against the credit allocation and the monthly \
            budget, with an emulator of Azure's APIs for trying it without an account.
            """,
        version: "0.1.0",
        subcommands: [DashCommand.self, DemoCommand.self, ReportCommand.self, DoctorCommand.self, EmulateCommand.self, GatewayCommand.self, RoutesCommand.self],
        defaultSubcommand: DashCommand.self)
}
