namespace CollabCanvas.Server.Ai.Components;

public sealed class LoginForm : IComponent
{
    public string Name => "login_form";
    public string[] Synonyms => ["login", "log in form", "login screen", "login page", "sign in form", "signin form", "sign in", "log in", "login box"];
    public string Description => "A login form: title, email and password fields, a primary button, a link. Title; Labels[0]: the button.";

    public void Build(Drawing d, ComponentSpec spec) =>
        FormLayout.Build(d, "Login form", spec.Title ?? "Sign in",
            [("Email", "you@example.com"), ("Password", "••••••••")], spec.Label(0, "Sign in"), "Forgot your password?", spec.Scale());
}
