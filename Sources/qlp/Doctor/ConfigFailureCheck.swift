import QLPConfig

extension DoctorCheck {
    /// A config problem as doctor's line: what is wrong, and the step that
    /// fixes it: the command to run for an unset variable, else the file,
    /// line and key to edit.
    static func config(_ error: ConfigError) -> DoctorCheck {
        DoctorCheck(name: "config", outcome: .fail(error.description, remedy: remedy(error)))
    }

    static func remedy(_ error: ConfigError) -> String {
        let place = "\(error.file)" + (error.line.map { " line \($0)" } ?? "") + (error.key.map { " (\($0))" } ?? "")
        switch error.fix {
        case .setEnvironmentVariable(let name):
            return "export \(name)=… in the environment that runs qlp (the shell, the service unit or the pod spec), "
                + "or put the value in \(place) instead of ${\(name)}"
        case nil:
            return "edit \(place): \(error.message)"
        }
    }
}
